package dev.refinery.domain.schema;

import static dev.refinery.domain.schema.TestSchemas.json;

/**
 * A stack of diamonds: {@code topN} → {@code leftN}, {@code rightN} → {@code topN-1} … → {@code top0}.
 * Each level doubles the inlined size, while the closure grows by three vibes.
 */
final class DeepDiamond {
    private DeepDiamond() {}

    static TestLedger write(TestLedger ledger, int levels) {
        ledger.write(top(0), json("{'type':'integer'}"));
        for (int level = 1; level <= levels; level++) {
            String below = "aug:/diamond/top" + (level - 1);
            ledger.write("main@diamond/left" + level + "?1", json("{'$ref':'" + below + "'}"));
            ledger.write("main@diamond/right" + level + "?1", json("{'$ref':'" + below + "','description':'right'}"));
            ledger.write(top(level), json("{'allOf':[{'$ref':'aug:/diamond/left" + level + "'},{'$ref':'aug:/diamond/right" + level + "'}]}"));
        }
        return ledger;
    }

    static String top(int level) {
        return "main@diamond/top" + level + "?1";
    }
}
