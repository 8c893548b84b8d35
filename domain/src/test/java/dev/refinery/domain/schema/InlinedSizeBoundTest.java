package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import static dev.refinery.domain.schema.TestSchemas.json;
import static dev.refinery.domain.schema.TestSchemas.size;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InlinedSizeBoundTest {
    private final SchemaResolver resolver = new SchemaResolver(new SchemaResolver.Limits(Integer.MAX_VALUE, 10_000));

    private long bound(SchemaClosure closure, long cap) {
        OptionalLong bound = SchemaResolver.inlinedSizeBound(closure.rootSchema(), closure.dependencies(), cap);
        assertTrue(bound.isPresent());
        return bound.getAsLong();
    }

    private void assertBounds(SchemaClosure closure) {
        long actual = size(resolver.inlined(closure));
        long bound = bound(closure, Long.MAX_VALUE);
        assertTrue(bound >= actual, () -> "bound " + bound + " < inlined " + actual + " for " + closure.root());
    }

    @Test
    void boundsTheInlinedSizeOfEveryShape() {
        TestLedger ledger = new TestLedger()
                .write("main@t?1", json("true"))
                .write("main@f?1", json("false"))
                .write("main@c?1", json("{'type':'string','minLength':1}"))
                .write("main@b?1", json("{'$schema':'https://json-schema.org/draft/2020-12/schema','$id':'https://example.com/b',"
                        + "'$defs':{'n':{'type':'integer'}},'items':{'$ref':'aug:/c'},'not':{'$ref':'#/$defs/n'}}"))
                .write("main@alias?1", json("{'$ref':'aug:/b','description':'the same'}"))
                .write("main@a?1", json("{'properties':{'b':{'$ref':'aug:/alias','title':'x'},'c':{'$refOriginal':'aug:/c?1'},"
                        + "'t':{'$ref':'aug:/t','description':'anything'},'f':{'$ref':'aug:/f'},"
                        + "'again':{'allOf':[{'$ref':'aug:/b'},{'$ref':'aug:/c'},{'$ref':'aug:/c'}]}}}"));
        for (String root : new String[] {"main@t?1", "main@f?1", "main@c?1", "main@b?1", "main@alias?1", "main@a?1"}) {
            assertBounds(ledger.closure(root));
        }
        for (int levels = 0; levels <= 8; levels++) {
            assertBounds(DeepDiamond.write(new TestLedger(), levels).closure(DeepDiamond.top(levels)));
        }
    }

    @Test
    void isLinearInTheClosureWhereTheInlinedViewIsExponential() {
        SchemaClosure closure = DeepDiamond.write(new TestLedger(), 60).closure(DeepDiamond.top(60));
        long bound = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> bound(closure, 1_000_000));
        assertEquals(1_000_001, bound, "stops past the cap");
        assertTrue(bound(DeepDiamond.write(new TestLedger(), 10).closure(DeepDiamond.top(10)), 1_000_000) < 1_000_000);
    }

    @Test
    void aCycleOrAMissingSchemaHasNoBound() {
        Map<VibeRef, JsonNode> cycle = new LinkedHashMap<>();
        cycle.put(VibeRef.parse("main@x?1"), json("{'items':{'$ref':'aug:/y','$refResolved':'main@y?1'}}"));
        cycle.put(VibeRef.parse("main@y?1"), json("{'items':{'$ref':'aug:/x','$refResolved':'main@x?1'}}"));
        JsonNode root = json("{'$ref':'aug:/x','$refResolved':'main@x?1'}");
        assertEquals(OptionalLong.empty(), SchemaResolver.inlinedSizeBound(root, cycle, Long.MAX_VALUE));
        assertEquals(OptionalLong.empty(), SchemaResolver.inlinedSizeBound(
                json("{'$ref':'aug:/z','$refResolved':'main@z?1'}"), cycle, Long.MAX_VALUE));
        assertEquals(OptionalLong.of(2), SchemaResolver.inlinedSizeBound(json("{'type':'object'}"), Map.of(), 10));
    }
}
