package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import static dev.refinery.domain.Rejection.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RevisionTest {

    @Test
    void everyGeneratedRevisionSurvivesFormattingAndParsing() {
        Generated.forAll(5_000, ArbitraryNames::revision,
                revision -> assertEquals(revision, Revision.parse(revision.toString())));
    }

    @Test
    void largestIntIsTheLargestRevision() {
        assertEquals(Integer.MAX_VALUE, Revision.parse("2147483647").value());
    }

    @Test
    void revisionPastTheLargestIntIsRejected() {
        assertRejected(() -> Revision.parse("2147483648"), "revision", "2147483648", -1,
                "is larger than 2147483647");
    }

    @Test
    void revisionTooLongForALongIsRejectedAsTooLarge() {
        String text = "9".repeat(25);
        assertRejected(() -> Revision.parse(text), "revision", text, -1, "is larger than 2147483647");
    }

    @Test
    void revisionZeroIsRejected() {
        assertRejected(() -> Revision.parse("0"), "revision", "0", 0, "revisions start at 1");
    }

    @Test
    void revisionWithLeadingZerosIsRejected() {
        assertRejected(() -> Revision.parse("007"), "revision", "007", 0, "leading zeros are not allowed");
        assertRejected(() -> Revision.parse("00"), "revision", "00", 0, "leading zeros are not allowed");
    }

    @Test
    void signedRevisionsAreRejectedAtTheSign() {
        assertRejected(() -> Revision.parse("-1"), "revision", "-1", 0, "'-' is not a digit");
        assertRejected(() -> Revision.parse("+1"), "revision", "+1", 0, "'+' is not a digit");
    }

    @Test
    void nonDigitIsRejectedAtItsPosition() {
        assertRejected(() -> Revision.parse("12a"), "revision", "12a", 2, "'a' is not a digit");
        assertRejected(() -> Revision.parse("1.0"), "revision", "1.0", 1, "'.' is not a digit");
        assertRejected(() -> Revision.parse("1e3"), "revision", "1e3", 1, "'e' is not a digit");
    }

    @Test
    void nonDigitIsReportedBeforeTheNumberIsTooLarge() {
        String text = "99999999999x";
        assertRejected(() -> Revision.parse(text), "revision", text, 11, "'x' is not a digit");
    }

    @Test
    void whitespaceAndNonAsciiDigitsAreRejectedAndShownEscapedWhenInvisible() {
        assertRejected(() -> Revision.parse(" 1"), "revision", " 1", 0, "'\\u0020' is not a digit");
        assertRejected(() -> Revision.parse("1\n"), "revision", "1\n", 1, "'\\u000a' is not a digit");
        assertRejected(() -> Revision.parse("\u0661"), "revision", "\u0661", 0, "'\u0661' is not a digit");
        assertRejected(() -> Revision.parse("1\uD835\uDFCF"), "revision", "1\uD835\uDFCF", 1,
                "'\uD835\uDFCF' is not a digit");
    }

    @Test
    void nullAndEmptyRevisionsAreRejected() {
        assertRejected(() -> Revision.parse(null), "revision", null, -1, "must be a positive integer");
        assertRejected(() -> Revision.parse(""), "revision", "", -1, "must be a positive integer");
    }

    @Test
    void revisionBelowOneCannotBeConstructed() {
        assertRejected(() -> Revision.of(0), "revision", "0", -1, "must be a positive integer");
        assertRejected(() -> Revision.of(-3), "revision", "-3", -1, "must be a positive integer");
        assertRejected(() -> Revision.of(Integer.MIN_VALUE), "revision", "-2147483648", -1,
                "must be a positive integer");
    }

    @Test
    void nextRevisionIsOneHigher() {
        assertEquals(Revision.of(2), Revision.FIRST.next());
        assertEquals(Revision.of(Integer.MAX_VALUE), Revision.of(Integer.MAX_VALUE - 1).next());
    }

    @Test
    void nextOfTheLargestRevisionFailsInsteadOfWrapping() {
        assertThrows(IllegalStateException.class, () -> Revision.of(Integer.MAX_VALUE).next());
    }

    @Test
    void revisionsCompareNumericallyNotAsText() {
        assertTrue(Revision.of(10).isAfter(Revision.of(9)));
        assertFalse(Revision.of(9).isAfter(Revision.of(10)));
        assertFalse(Revision.of(3).isAfter(Revision.of(3)));
        assertTrue(Revision.parse("10").compareTo(Revision.parse("9")) > 0);
    }
}
