package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import static dev.refinery.domain.Rejection.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VibeRefTest {
    private static final String FORM = "must have the form BRANCH@ID?REVISION";
    private static final String NOT_ALLOWED = " is not allowed (letters, digits, '.', '_', '-' and '/' are)";

    @Test
    void everyGeneratedRefSurvivesFormattingAndParsing() {
        Generated.forAll(5_000, ArbitraryNames::vibeRef, ref -> {
            // when
            String text = ref.toString();
            VibeRef parsed = VibeRef.parse(text);
            // then
            assertEquals(ref, parsed);
            assertEquals(text, parsed.toString());
            assertEquals(ref.branch() + "@" + ref.id() + "?" + ref.revision(), text);
        });
    }

    @Test
    void refSplitsIntoBranchIdAndRevision() {
        // when
        VibeRef ref = VibeRef.parse("main@schemas/user?1");
        // then
        assertEquals(BranchName.MAIN, ref.branch());
        assertEquals(VibeId.parse("schemas/user"), ref.id());
        assertEquals(Revision.FIRST, ref.revision());
    }

    @Test
    void refOnAMultiSegmentBranchSplitsAtTheAt() {
        // when
        VibeRef ref = VibeRef.parse("dev/feature-x@user?2");
        // then
        assertEquals(VibeRef.of("dev/feature-x", "user", 2), ref);
    }

    @Test
    void refWithoutAtIsRejected() {
        assertRejected(() -> VibeRef.parse("main/x?1"), "vibe ref", "main/x?1", -1,
                "missing '@' between branch and id (BRANCH@ID?REVISION)");
    }

    @Test
    void refWithoutRevisionIsRejected() {
        assertRejected(() -> VibeRef.parse("main@x"), "vibe ref", "main@x", -1,
                "missing '?REVISION' after the id (BRANCH@ID?REVISION)");
    }

    @Test
    void refWithQuestionMarkOnlyBeforeTheAtIsMissingItsRevision() {
        assertRejected(() -> VibeRef.parse("ma?in@x"), "vibe ref", "ma?in@x", -1,
                "missing '?REVISION' after the id (BRANCH@ID?REVISION)");
    }

    @Test
    void emptyPartsAreRejectedWhereTheyShouldStart() {
        assertRejected(() -> VibeRef.parse("@x?1"), "vibe ref", "@x?1", 0, "branch name must not be empty");
        assertRejected(() -> VibeRef.parse("main@?1"), "vibe ref", "main@?1", 5, "vibe id must not be empty");
        assertRejected(() -> VibeRef.parse("main@x?"), "vibe ref", "main@x?", 7, "revision must be a positive integer");
    }

    @Test
    void questionMarkInTheBranchIsRejectedAtItsPosition() {
        assertRejected(() -> VibeRef.parse("main?1@x?2"), "vibe ref", "main?1@x?2", 4,
                "branch name character '?'" + NOT_ALLOWED);
    }

    @Test
    void secondAtIsRejectedInsideTheId() {
        assertRejected(() -> VibeRef.parse("main@x@y?1"), "vibe ref", "main@x@y?1", 6,
                "vibe id character '@'" + NOT_ALLOWED);
    }

    @Test
    void secondQuestionMarkIsRejectedInsideTheRevision() {
        assertRejected(() -> VibeRef.parse("main@x?1?2"), "vibe ref", "main@x?1?2", 8, "revision '?' is not a digit");
    }

    @Test
    void tildeIsNotPartOfTheCanonicalForm() {
        assertRejected(() -> VibeRef.parse("~dev@x?1"), "vibe ref", "~dev@x?1", 0,
                "branch name a segment must start with a letter or digit, not '~'");
    }

    @Test
    void dotDotSegmentInTheIdIsRejectedAtItsPositionInTheRef() {
        assertRejected(() -> VibeRef.parse("main@a/../b?1"), "vibe ref", "main@a/../b?1", 7,
                "vibe id segment '..' is not allowed");
    }

    @Test
    void emptyIdSegmentIsRejectedAtItsPositionInTheRef() {
        assertRejected(() -> VibeRef.parse("main@a//b?1"), "vibe ref", "main@a//b?1", 7,
                "vibe id empty segment ('//') is not allowed");
        assertRejected(() -> VibeRef.parse("main@/a?1"), "vibe ref", "main@/a?1", 5,
                "vibe id leading '/' is not allowed");
        assertRejected(() -> VibeRef.parse("main@a/?1"), "vibe ref", "main@a/?1", 6,
                "vibe id trailing '/' is not allowed");
    }

    @Test
    void badRevisionsAreRejectedAtTheirPositionInTheRef() {
        assertRejected(() -> VibeRef.parse("main@x?0"), "vibe ref", "main@x?0", 7, "revision revisions start at 1");
        assertRejected(() -> VibeRef.parse("main@x?01"), "vibe ref", "main@x?01", 7,
                "revision leading zeros are not allowed");
        assertRejected(() -> VibeRef.parse("main@x?-1"), "vibe ref", "main@x?-1", 7, "revision '-' is not a digit");
        assertRejected(() -> VibeRef.parse("main@x?1a"), "vibe ref", "main@x?1a", 8, "revision 'a' is not a digit");
        assertRejected(() -> VibeRef.parse("main@x?2147483648"), "vibe ref", "main@x?2147483648", 7,
                "revision is larger than 2147483647");
    }

    @Test
    void idOfTheMaximumLengthIsAcceptedInARef() {
        // given
        String id = "i".repeat(VibeId.MAX_LENGTH);
        // when
        VibeRef ref = VibeRef.parse("main@" + id + "?1");
        // then
        assertEquals(id, ref.id().value());
    }

    @Test
    void tooLongIdIsRejectedAtItsPositionInTheRef() {
        String text = "main@" + "i".repeat(256) + "?1";
        assertRejected(() -> VibeRef.parse(text), "vibe ref", text, 5 + 255,
                "vibe id is 256 characters long, at most 255 are allowed");
    }

    @Test
    void whitespaceIsRejectedAtItsPositionInTheRef() {
        assertRejected(() -> VibeRef.parse(" main@x?1"), "vibe ref", " main@x?1", 0,
                "branch name a segment must start with a letter or digit, not '\\u0020'");
        assertRejected(() -> VibeRef.parse("main@x ?1"), "vibe ref", "main@x ?1", 6,
                "vibe id character '\\u0020'" + NOT_ALLOWED);
        assertRejected(() -> VibeRef.parse("main@x?1 "), "vibe ref", "main@x?1 ", 8, "revision '\\u0020' is not a digit");
    }

    @Test
    void nullAndEmptyRefsAreRejected() {
        assertRejected(() -> VibeRef.parse(null), "vibe ref", null, -1, FORM);
        assertRejected(() -> VibeRef.parse(""), "vibe ref", "", -1, FORM);
    }

    @Test
    void refNeedsEveryPart() {
        assertThrows(IllegalArgumentException.class, () -> new VibeRef(null, VibeId.parse("x"), Revision.FIRST));
        assertThrows(IllegalArgumentException.class, () -> new VibeRef(BranchName.MAIN, null, Revision.FIRST));
        assertThrows(IllegalArgumentException.class, () -> new VibeRef(BranchName.MAIN, VibeId.parse("x"), null));
    }

    @Test
    void withBranchKeepsIdAndRevision() {
        assertEquals(VibeRef.parse("dev@x?3"), VibeRef.parse("main@x?3").withBranch(BranchName.parse("dev")));
    }

    @Test
    void refsOrderByBranchThenIdThenNumericRevision() {
        assertTrue(VibeRef.parse("dev@z?9").compareTo(VibeRef.parse("main@a?1")) < 0);
        assertTrue(VibeRef.parse("main@a?9").compareTo(VibeRef.parse("main@b?1")) < 0);
        assertTrue(VibeRef.parse("main@a?9").compareTo(VibeRef.parse("main@a?10")) < 0);
    }
}
