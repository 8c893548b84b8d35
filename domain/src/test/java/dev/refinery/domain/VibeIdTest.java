package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import static dev.refinery.domain.Rejection.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VibeIdTest {
    private static final String NOT_ALLOWED = " is not allowed (letters, digits, '.', '_', '-' and '/' are)";

    @Test
    void everyGeneratedIdSurvivesFormattingAndParsing() {
        Generated.forAll(5_000, ArbitraryNames::vibeId, id -> {
            // when
            VibeId parsed = VibeId.parse(id.toString());
            // then
            assertEquals(id, parsed);
            assertEquals(id.value(), parsed.toString());
        });
    }

    @Test
    void idWithDotsInsideSegmentsIsAccepted() {
        // given
        String text = "schemas/v1.2/user..old/a.";
        // when
        VibeId id = VibeId.parse(text);
        // then
        assertEquals(text, id.value());
    }

    @Test
    void idOfExactly255CharactersIsAccepted() {
        // given
        String text = "a/".repeat(127) + "b";
        // when
        VibeId id = VibeId.parse(text);
        // then
        assertEquals(255, id.value().length());
    }

    @Test
    void idOf256CharactersIsRejectedAtTheFirstCharacterPastTheLimit() {
        String text = "a".repeat(256);
        assertRejected(() -> VibeId.parse(text), "vibe id", text, 255,
                "is 256 characters long, at most 255 are allowed");
    }

    @Test
    void idWithDotDotSegmentIsRejectedAtItsPosition() {
        assertRejected(() -> VibeId.parse("schemas/../user"), "vibe id", "schemas/../user", 8,
                "segment '..' is not allowed");
    }

    @Test
    void idWithDotSegmentIsRejectedAtItsPosition() {
        assertRejected(() -> VibeId.parse("schemas/./user"), "vibe id", "schemas/./user", 8,
                "segment '.' is not allowed");
    }

    @Test
    void idThatIsOnlyDotDotIsRejectedAtTheStart() {
        assertRejected(() -> VibeId.parse(".."), "vibe id", "..", 0, "segment '..' is not allowed");
    }

    @Test
    void idEndingInDotDotSegmentIsRejectedAtThatSegment() {
        assertRejected(() -> VibeId.parse("a/.."), "vibe id", "a/..", 2, "segment '..' is not allowed");
    }

    @Test
    void idWithEmptySegmentIsRejectedAtTheSecondSlash() {
        assertRejected(() -> VibeId.parse("a//b"), "vibe id", "a//b", 2, "empty segment ('//') is not allowed");
    }

    @Test
    void idWithLeadingSlashIsRejectedAtTheStart() {
        assertRejected(() -> VibeId.parse("/a"), "vibe id", "/a", 0, "leading '/' is not allowed");
    }

    @Test
    void idWithTrailingSlashIsRejectedAtThatSlash() {
        assertRejected(() -> VibeId.parse("a/b/"), "vibe id", "a/b/", 3, "trailing '/' is not allowed");
    }

    @Test
    void idThatIsOnlyASlashIsRejectedAtTheStart() {
        assertRejected(() -> VibeId.parse("/"), "vibe id", "/", 0, "leading '/' is not allowed");
    }

    @Test
    void segmentStartingWithPunctuationIsRejected() {
        assertRejected(() -> VibeId.parse("a/.hidden"), "vibe id", "a/.hidden", 2,
                "a segment must start with a letter or digit, not '.'");
        assertRejected(() -> VibeId.parse("-a"), "vibe id", "-a", 0,
                "a segment must start with a letter or digit, not '-'");
        assertRejected(() -> VibeId.parse("_a"), "vibe id", "_a", 0,
                "a segment must start with a letter or digit, not '_'");
    }

    @Test
    void referenceSyntaxCharactersAreRejectedInsideAnId() {
        assertRejected(() -> VibeId.parse("a@b"), "vibe id", "a@b", 1, "character '@'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("a?1"), "vibe id", "a?1", 1, "character '?'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("a~b"), "vibe id", "a~b", 1, "character '~'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("aug:x"), "vibe id", "aug:x", 3, "character ':'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("a\\b"), "vibe id", "a\\b", 1, "character '\\'" + NOT_ALLOWED);
    }

    @Test
    void whitespaceAndControlCharactersAreRejectedAndShownEscaped() {
        assertRejected(() -> VibeId.parse("a b"), "vibe id", "a b", 1, "character '\\u0020'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("a\tb"), "vibe id", "a\tb", 1, "character '\\u0009'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("ab\n"), "vibe id", "ab\n", 2, "character '\\u000a'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("a\u0000"), "vibe id", "a\u0000", 1, "character '\\u0000'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("a\u007f"), "vibe id", "a\u007f", 1, "character '\\u007f'" + NOT_ALLOWED);
    }

    @Test
    void invisibleCharactersAreShownEscapedInTheReason() {
        assertRejected(() -> VibeId.parse("a\u00a0b"), "vibe id", "a\u00a0b", 1,
                "character '\\u00a0'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("a\u200bb"), "vibe id", "a\u200bb", 1,
                "character '\\u200b'" + NOT_ALLOWED);
    }

    @Test
    void whitespaceAtTheStartOfASegmentIsShownEscaped() {
        assertRejected(() -> VibeId.parse(" a"), "vibe id", " a", 0,
                "a segment must start with a letter or digit, not '\\u0020'");
        assertRejected(() -> VibeId.parse("a/\tb"), "vibe id", "a/\tb", 2,
                "a segment must start with a letter or digit, not '\\u0009'");
    }

    @Test
    void nonAsciiLettersAndDigitsAreRejected() {
        assertRejected(() -> VibeId.parse("café"), "vibe id", "café", 3, "character 'é'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("Éa"), "vibe id", "Éa", 0,
                "a segment must start with a letter or digit, not 'É'");
        assertRejected(() -> VibeId.parse("v\uff11"), "vibe id", "v\uff11", 1, "character '１'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("\u0430"), "vibe id", "\u0430", 0,
                "a segment must start with a letter or digit, not 'а'");
    }

    @Test
    void characterOutsideTheBasicPlaneIsNamedWholeAtItsFirstCodeUnit() {
        // the reason must stay well-formed text: never half of a surrogate pair
        assertRejected(() -> VibeId.parse("a\uD83D\uDE00b"), "vibe id", "a\uD83D\uDE00b", 1,
                "character '\uD83D\uDE00'" + NOT_ALLOWED);
        assertRejected(() -> VibeId.parse("\uD83D\uDE00"), "vibe id", "\uD83D\uDE00", 0,
                "a segment must start with a letter or digit, not '\uD83D\uDE00'");
    }

    @Test
    void loneSurrogateIsShownEscaped() {
        assertRejected(() -> VibeId.parse("a\uD83D"), "vibe id", "a\uD83D", 1, "character '\\ud83d'" + NOT_ALLOWED);
    }

    @Test
    void lengthIsCheckedBeforeCharacters() {
        String text = " " + "a".repeat(300);
        assertRejected(() -> VibeId.parse(text), "vibe id", text, 255,
                "is 301 characters long, at most 255 are allowed");
    }

    @Test
    void nullIdIsRejected() {
        assertRejected(() -> VibeId.parse(null), "vibe id", null, -1, "must not be null");
    }

    @Test
    void emptyIdIsRejected() {
        assertRejected(() -> VibeId.parse(""), "vibe id", "", -1, "must not be empty");
    }

    @Test
    void idStartsWithItselfAndItsParentPaths() {
        // given
        VibeId id = VibeId.parse("schemas/user/profile");
        // then
        assertTrue(id.startsWith("schemas/user/profile"));
        assertTrue(id.startsWith("schemas/user"));
        assertTrue(id.startsWith("schemas"));
        assertTrue(id.startsWith("schemas/"));
    }

    @Test
    void everyIdLiesBelowTheEmptyPrefix() {
        assertTrue(VibeId.parse("schemas/user").startsWith(""));
    }

    @Test
    void idDoesNotStartWithAPrefixThatEndsInsideOneOfItsSegments() {
        // given
        VibeId id = VibeId.parse("schemas-old/user");
        // then
        assertFalse(id.startsWith("schemas"));
        assertFalse(id.startsWith("schemas/"));
        assertFalse(VibeId.parse("schemas/username").startsWith("schemas/user"));
    }

    @Test
    void idDoesNotStartWithALongerPath() {
        assertFalse(VibeId.parse("schemas").startsWith("schemas/user"));
    }

    @Test
    void idsOrderByTheirText() {
        assertTrue(VibeId.parse("a/b").compareTo(VibeId.parse("a/c")) < 0);
        assertTrue(VibeId.parse("b").compareTo(VibeId.parse("a/z")) > 0);
        assertEquals(0, VibeId.parse("a").compareTo(new VibeId("a")));
    }
}
