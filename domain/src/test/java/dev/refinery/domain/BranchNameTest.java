package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import static dev.refinery.domain.Rejection.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BranchNameTest {

    @Test
    void everyGeneratedBranchNameSurvivesFormattingAndParsing() {
        Generated.forAll(5_000, ArbitraryNames::branchName, name -> {
            // when
            BranchName parsed = BranchName.parse(name.toString());
            // then
            assertEquals(name, parsed);
            assertEquals(name.value(), parsed.toString());
        });
    }

    @Test
    void multiSegmentBranchNameIsAcceptedAndIsNotSingleSegment() {
        // when
        BranchName name = BranchName.parse("dev/feature-x");
        // then
        assertEquals("dev/feature-x", name.value());
        assertFalse(name.isSingleSegment());
    }

    @Test
    void branchNameWithoutSlashIsSingleSegment() {
        assertTrue(BranchName.parse("dev").isSingleSegment());
        assertTrue(BranchName.parse("release-1.2").isSingleSegment());
    }

    @Test
    void onlyMainIsMain() {
        assertTrue(BranchName.parse("main").isMain());
        assertTrue(BranchName.MAIN.isMain());
        assertFalse(BranchName.parse("Main").isMain());
        assertFalse(BranchName.parse("main/x").isMain());
    }

    @Test
    void branchNameAtTheLengthLimitIsAccepted() {
        // given
        String text = "dev/" + "b".repeat(BranchName.MAX_LENGTH - 4);
        // when
        BranchName name = BranchName.parse(text);
        // then
        assertEquals(128, name.value().length());
    }

    @Test
    void branchNameOneCharacterPastTheLimitIsRejectedThere() {
        String text = "b".repeat(129);
        assertRejected(() -> BranchName.parse(text), "branch name", text, 128,
                "is 129 characters long, at most 128 are allowed");
    }

    @Test
    void branchNameFollowsThePathGrammar() {
        assertRejected(() -> BranchName.parse("dev/../main"), "branch name", "dev/../main", 4,
                "segment '..' is not allowed");
        assertRejected(() -> BranchName.parse("dev//x"), "branch name", "dev//x", 4,
                "empty segment ('//') is not allowed");
        assertRejected(() -> BranchName.parse("/dev"), "branch name", "/dev", 0, "leading '/' is not allowed");
        assertRejected(() -> BranchName.parse("dev/"), "branch name", "dev/", 3, "trailing '/' is not allowed");
        assertRejected(() -> BranchName.parse("~dev"), "branch name", "~dev", 0,
                "a segment must start with a letter or digit, not '~'");
        assertRejected(() -> BranchName.parse("dev@x"), "branch name", "dev@x", 3,
                "character '@' is not allowed (letters, digits, '.', '_', '-' and '/' are)");
    }

    @Test
    void nullAndEmptyBranchNamesAreRejected() {
        assertRejected(() -> BranchName.parse(null), "branch name", null, -1, "must not be null");
        assertRejected(() -> BranchName.parse(""), "branch name", "", -1, "must not be empty");
    }
}
