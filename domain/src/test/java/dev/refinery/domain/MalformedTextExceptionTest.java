package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MalformedTextExceptionTest {

    @Test
    void messageNamesTheInputThePositionAndTheReason() {
        // when
        MalformedTextException e = assertThrows(MalformedTextException.class, () -> AugUri.parse("aug:/a//b"));
        // then
        assertEquals("invalid aug URI \"aug:/a//b\" at character 7: vibe id empty segment ('//') is not allowed",
                e.getMessage());
    }

    @Test
    void messageLeavesOutThePositionWhenTheWholeTextIsWrong() {
        // when
        MalformedTextException e = new MalformedTextException("kind", "x", -1, "must be one of A, B");
        // then
        assertEquals("invalid kind \"x\": must be one of A, B", e.getMessage());
    }

    @Test
    void messageShowsNullInputWithoutQuotes() {
        assertEquals("invalid vibe id null: must not be null",
                new MalformedTextException("vibe id", null, -1, "must not be null").getMessage());
    }

    @Test
    void messageAbbreviatesLongInputButKeepsItWholeInTheField() {
        // given
        String input = "x".repeat(300);
        // when
        MalformedTextException e = new MalformedTextException("vibe id", input, 255, "too long");
        // then
        assertEquals("invalid vibe id \"" + "x".repeat(77) + "...\" at character 255: too long", e.getMessage());
        assertEquals(input, e.input());
    }

    @Test
    void abbreviationNeverSplitsASurrogatePair() {
        // given
        String input = "x".repeat(76) + "\uD83D\uDE00" + "y".repeat(10);
        // when
        MalformedTextException e = new MalformedTextException("vibe id", input, 76, "r");
        // then
        assertEquals("invalid vibe id \"" + "x".repeat(76) + "...\" at character 76: r", e.getMessage());
    }

    @Test
    void malformedTextIsAnIllegalArgument() {
        assertInstanceOf(IllegalArgumentException.class, new MalformedTextException("w", "i", 0, "r"));
    }
}
