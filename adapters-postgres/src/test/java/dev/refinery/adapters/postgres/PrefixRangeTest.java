package dev.refinery.adapters.postgres;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upper bound a listing of heads gives the index for a prefix ("C" collation: code point order). */
class PrefixRangeTest {

    @Test
    void theSuccessorIsAboveEveryIdOfThePrefixAndNoOtherIdIsBetween() {
        assertEquals("e0", PostgresLedgerTransaction.successor("e/"));
        assertEquals("b", PostgresLedgerTransaction.successor("a"));
        assertEquals("schemas/\u00e9", PostgresLedgerTransaction.successor("schemas/\u00e8"));
        assertEquals("x\uE000", PostgresLedgerTransaction.successor("x\uD7FF"), "surrogates are no code points");
        assertEquals("x" + Character.toString(0x1F601), PostgresLedgerTransaction.successor("x" + Character.toString(0x1F600)));
        assertNull(PostgresLedgerTransaction.successor("x" + Character.toString(Character.MAX_CODE_POINT)));
        String prefix = "people/" + Character.toString(0x1F600);
        String successor = PostgresLedgerTransaction.successor(prefix);
        assertTrue(codePointOrder(prefix + Character.toString(Character.MAX_CODE_POINT), successor) < 0);
        assertTrue(codePointOrder(prefix, successor) < 0);
    }

    private static int codePointOrder(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
