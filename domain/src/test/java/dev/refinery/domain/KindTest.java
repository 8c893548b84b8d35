package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import static dev.refinery.domain.Rejection.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

class KindTest {
    private static final String ONE_OF = "must be one of RECORD, ROLE, PROCESS, CAPABILITY";

    @Test
    void everyKindParsesFromItsName() {
        for (Kind kind : Kind.values()) {
            assertEquals(kind, Kind.parse(kind.name()));
        }
    }

    @Test
    void lowerCaseKindIsRejectedWithTheAllowedNames() {
        assertRejected(() -> Kind.parse("record"), "kind", "record", -1, ONE_OF);
        assertRejected(() -> Kind.parse("Role"), "kind", "Role", -1, ONE_OF);
    }

    @Test
    void unknownKindIsRejectedWithTheAllowedNames() {
        assertRejected(() -> Kind.parse("SCHEMA"), "kind", "SCHEMA", -1, ONE_OF);
        assertRejected(() -> Kind.parse(" RECORD"), "kind", " RECORD", -1, ONE_OF);
    }

    @Test
    void nullAndEmptyKindsAreRejected() {
        assertRejected(() -> Kind.parse(null), "kind", null, -1, ONE_OF);
        assertRejected(() -> Kind.parse(""), "kind", "", -1, ONE_OF);
    }

    @Test
    void refinementKindsTravelInLowerCase() {
        for (RefinementKind kind : RefinementKind.values()) {
            assertEquals(kind, RefinementKind.fromWireName(kind.wireName()));
        }
        assertEquals("merge", RefinementKind.MERGE.wireName());
        assertRejected(() -> RefinementKind.fromWireName("MERGE"), "refinement kind", "MERGE", -1,
                "must be refine, merge or process");
    }
}
