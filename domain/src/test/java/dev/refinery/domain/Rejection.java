package dev.refinery.domain;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one way these tests check a {@link MalformedTextException}: every field, exactly. */
final class Rejection {
    private Rejection() {}

    static MalformedTextException assertRejected(Executable parse, String what, String input, int position,
                                                 String reason) {
        MalformedTextException e = assertThrows(MalformedTextException.class, parse);
        assertAll(
                () -> assertEquals(what, e.what(), "what"),
                () -> assertEquals(input, e.input(), "input"),
                () -> assertEquals(position, e.position(), "position"),
                () -> assertEquals(reason, e.reason(), "reason"));
        return e;
    }
}
