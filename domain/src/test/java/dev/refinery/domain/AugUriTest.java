package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Random;

import static dev.refinery.domain.Rejection.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugUriTest {
    private static final String WHAT = "aug URI";
    private static final String NOT_ALLOWED = " is not allowed (letters, digits, '.', '_', '-' and '/' are)";
    private static final BranchName DEV = BranchName.parse("dev");

    // --- round trips over generated values, one per form

    @Test
    void everyFloatingContextUriRoundTrips() {
        Generated.forAll(3_000, ArbitraryNames::vibeId, id -> {
            // given
            AugUri uri = AugUri.floating(id);
            String text = "aug:/" + id;
            // then
            assertEquals(text, uri.toString());
            assertEquals(uri, AugUri.parse(text));
            assertEquals(text, AugUri.parse(text).toString());
        });
    }

    @Test
    void everyPinnedContextUriRoundTrips() {
        Generated.forAll(3_000, r -> new AugUri(Optional.empty(), ArbitraryNames.vibeId(r),
                Optional.of(ArbitraryNames.revision(r))), uri -> {
            // given
            String text = "aug:/" + uri.id() + "?" + uri.revision().orElseThrow();
            // then
            assertEquals(text, uri.toString());
            assertEquals(uri, AugUri.parse(text));
            assertEquals(text, AugUri.parse(text).toString());
        });
    }

    @Test
    void everyShortBranchUriParsesToItsBranchAndFormatsCanonically() {
        Generated.forAll(3_000, r -> new AugUri(Optional.of(ArbitraryNames.singleSegmentBranchName(r)),
                ArbitraryNames.vibeId(r), r.nextBoolean() ? Optional.of(ArbitraryNames.revision(r)) : Optional.empty()),
                uri -> {
            // given
            String shortForm = "aug:~" + uri.branch().orElseThrow() + "/" + uri.id()
                    + uri.revision().map(n -> "?" + n).orElse("");
            String canonical = "aug:" + uri.branch().orElseThrow() + "@" + uri.id()
                    + uri.revision().map(n -> "?" + n).orElse("");
            // when
            AugUri parsed = AugUri.parse(shortForm);
            // then
            assertEquals(uri, parsed);
            assertEquals(canonical, parsed.toString());
            assertEquals(uri, AugUri.parse(parsed.toString()));
        });
    }

    @Test
    void everyCanonicalBranchUriRoundTrips() {
        Generated.forAll(3_000, r -> new AugUri(Optional.of(ArbitraryNames.branchName(r)),
                ArbitraryNames.vibeId(r), r.nextBoolean() ? Optional.of(ArbitraryNames.revision(r)) : Optional.empty()),
                uri -> {
            // given
            String text = "aug:" + uri.branch().orElseThrow() + "@" + uri.id()
                    + uri.revision().map(n -> "?" + n).orElse("");
            // then
            assertEquals(text, uri.toString());
            assertEquals(uri, AugUri.parse(text));
            assertEquals(text, AugUri.parse(text).toString());
        });
    }

    @Test
    void everyPinnedRefRoundTripsThroughItsUri() {
        Generated.forAll(3_000, ArbitraryNames::vibeRef, ref -> {
            // when
            AugUri uri = AugUri.of(ref);
            // then
            assertEquals("aug:" + ref, uri.toString());
            assertEquals(Optional.of(ref), AugUri.parse(uri.toString()).refIn(BranchName.MAIN));
        });
    }

    @Test
    void arbitraryTextEitherParsesToAStableUriOrIsRejectedWithAPositionInsideIt() {
        Generated.forAll(20_000, AugUriTest::uriLikeText, text -> {
            AugUri uri;
            try {
                uri = AugUri.parse(text);
            } catch (MalformedTextException e) {
                assertEquals(text, e.input());
                assertTrue(e.position() >= -1 && e.position() <= text.length(), "position " + e.position());
                assertFalse(e.reason().isBlank());
                return;
            }
            assertEquals(uri, AugUri.parse(uri.toString()));
            assertEquals(uri.toString(), AugUri.parse(uri.toString()).toString());
        });
    }

    private static String uriLikeText(Random random) {
        String[] pieces = {"/", "/", "@", "?", "~", ".", "..", "a", "Z", "x", "0", "1", "9", "-", "_", " ", "é",
                "main", "dev", "aug:", "\uD83D\uDE00", "\n"};
        StringBuilder s = new StringBuilder(random.nextInt(10) == 0 ? "" : "aug:");
        int n = random.nextInt(9);
        for (int i = 0; i < n; i++) s.append(pieces[random.nextInt(pieces.length)]);
        return s.toString();
    }

    // --- the four forms

    @Test
    void contextUriNamesNoBranchAndNoRevision() {
        // when
        AugUri uri = AugUri.parse("aug:/schemas/user");
        // then
        assertEquals(new AugUri(Optional.empty(), VibeId.parse("schemas/user"), Optional.empty()), uri);
        assertFalse(uri.isPinned());
        assertEquals(DEV, uri.branchIn(DEV));
        assertEquals(Optional.empty(), uri.refIn(DEV));
    }

    @Test
    void pinnedContextUriIsResolvedOnTheContextBranch() {
        // when
        AugUri uri = AugUri.parse("aug:/schemas/user?3");
        // then
        assertTrue(uri.isPinned());
        assertEquals(Optional.of(VibeRef.parse("dev@schemas/user?3")), uri.refIn(DEV));
    }

    @Test
    void shortBranchFormTakesOneSegmentAsTheBranchAndTheRestAsTheId() {
        // when
        AugUri uri = AugUri.parse("aug:~dev/x/y");
        // then
        assertEquals(new AugUri(Optional.of(DEV), VibeId.parse("x/y"), Optional.empty()), uri);
        assertEquals("aug:dev@x/y", uri.toString());
    }

    @Test
    void shortBranchFormWithRevisionIsPinnedToThatBranch() {
        // when
        AugUri uri = AugUri.parse("aug:~dev/user-profile?2");
        // then
        assertEquals(DEV, uri.branchIn(BranchName.MAIN));
        assertEquals(Optional.of(VibeRef.parse("dev@user-profile?2")), uri.refIn(BranchName.MAIN));
        assertEquals("aug:dev@user-profile?2", uri.toString());
    }

    @Test
    void shortAndCanonicalBranchFormsAreEqual() {
        assertEquals(AugUri.parse("aug:dev@x?1"), AugUri.parse("aug:~dev/x?1"));
        assertEquals(AugUri.parse("aug:dev@a/b"), AugUri.parse("aug:~dev/a/b"));
    }

    @Test
    void canonicalFormAcceptsAMultiSegmentBranch() {
        // when
        AugUri uri = AugUri.parse("aug:dev/feature-x@user?2");
        // then
        assertEquals(new AugUri(Optional.of(BranchName.parse("dev/feature-x")), VibeId.parse("user"),
                Optional.of(Revision.of(2))), uri);
        assertEquals("aug:dev/feature-x@user?2", uri.toString());
        assertEquals(Optional.of(VibeRef.parse("dev/feature-x@user?2")), uri.refIn(BranchName.MAIN));
    }

    @Test
    void floatingCanonicalFormLooksOnItsOwnBranch() {
        // when
        AugUri uri = AugUri.parse("aug:main@schemas/user");
        // then
        assertFalse(uri.isPinned());
        assertEquals(BranchName.MAIN, uri.branchIn(DEV));
        assertEquals("aug:main@schemas/user", uri.toString());
    }

    // --- what is not an aug URI

    @Test
    void schemeAloneIsRejectedAtItsEnd() {
        assertRejected(() -> AugUri.parse("aug:"), WHAT, "aug:", 4,
                "nothing after 'aug:' (expected '/ID', '~BRANCH/ID' or 'BRANCH@ID')");
    }

    @Test
    void shortBranchFormWithoutIdIsRejected() {
        assertRejected(() -> AugUri.parse("aug:~dev"), WHAT, "aug:~dev", -1,
                "'aug:~BRANCH/ID' needs a '/' between branch and id");
        assertRejected(() -> AugUri.parse("aug:~dev?1"), WHAT, "aug:~dev?1", -1,
                "'aug:~BRANCH/ID' needs a '/' between branch and id");
    }

    @Test
    void shortBranchFormWithEmptyIdIsRejectedAtItsEnd() {
        assertRejected(() -> AugUri.parse("aug:~dev/"), WHAT, "aug:~dev/", 9, "vibe id must not be empty");
    }

    @Test
    void shortBranchFormWithEmptyBranchIsRejected() {
        assertRejected(() -> AugUri.parse("aug:~/x"), WHAT, "aug:~/x", 5, "branch name must not be empty");
    }

    @Test
    void shortBranchFormWithAtIsRejectedInTheId() {
        assertRejected(() -> AugUri.parse("aug:~dev/x@y"), WHAT, "aug:~dev/x@y", 10, "vibe id character '@'" + NOT_ALLOWED);
    }

    @Test
    void branchWithoutAtOrSlashIsRejectedAfterTheScheme() {
        assertRejected(() -> AugUri.parse("aug:main"), WHAT, "aug:main", 4,
                "expected '/ID', '~BRANCH/ID' or 'BRANCH@ID' after 'aug:'");
        assertRejected(() -> AugUri.parse("aug:schemas/user"), WHAT, "aug:schemas/user", 4,
                "expected '/ID', '~BRANCH/ID' or 'BRANCH@ID' after 'aug:'");
    }

    @Test
    void atAfterTheQuestionMarkDoesNotMakeABranch() {
        assertRejected(() -> AugUri.parse("aug:x?1@y"), WHAT, "aug:x?1@y", 4,
                "expected '/ID', '~BRANCH/ID' or 'BRANCH@ID' after 'aug:'");
    }

    @Test
    void emptyBranchOrIdInTheCanonicalFormIsRejected() {
        assertRejected(() -> AugUri.parse("aug:@x"), WHAT, "aug:@x", 4, "branch name must not be empty");
        assertRejected(() -> AugUri.parse("aug:main@"), WHAT, "aug:main@", 9, "vibe id must not be empty");
        assertRejected(() -> AugUri.parse("aug:main@?1"), WHAT, "aug:main@?1", 9, "vibe id must not be empty");
    }

    @Test
    void secondAtIsRejectedInsideTheId() {
        assertRejected(() -> AugUri.parse("aug:main@x@y"), WHAT, "aug:main@x@y", 10, "vibe id character '@'" + NOT_ALLOWED);
        assertRejected(() -> AugUri.parse("aug:/x@y"), WHAT, "aug:/x@y", 6, "vibe id character '@'" + NOT_ALLOWED);
    }

    @Test
    void tildeInsideAPathIsRejected() {
        assertRejected(() -> AugUri.parse("aug:/~dev/x"), WHAT, "aug:/~dev/x", 5,
                "vibe id a segment must start with a letter or digit, not '~'");
        assertRejected(() -> AugUri.parse("aug:/x~y"), WHAT, "aug:/x~y", 6, "vibe id character '~'" + NOT_ALLOWED);
    }

    @Test
    void questionMarkInTheBranchIsRejected() {
        assertRejected(() -> AugUri.parse("aug:~de?v/x"), WHAT, "aug:~de?v/x", -1,
                "'aug:~BRANCH/ID' needs a '/' between branch and id");
        assertRejected(() -> AugUri.parse("aug:ma?in@x"), WHAT, "aug:ma?in@x", 4,
                "expected '/ID', '~BRANCH/ID' or 'BRANCH@ID' after 'aug:'");
    }

    @Test
    void emptyPathIsRejected() {
        assertRejected(() -> AugUri.parse("aug:/"), WHAT, "aug:/", 5, "vibe id must not be empty");
        assertRejected(() -> AugUri.parse("aug:/?1"), WHAT, "aug:/?1", 5, "vibe id must not be empty");
    }

    @Test
    void dotSegmentsAreRejectedAtTheirPositionInTheUri() {
        assertRejected(() -> AugUri.parse("aug:/a/../b"), WHAT, "aug:/a/../b", 7, "vibe id segment '..' is not allowed");
        assertRejected(() -> AugUri.parse("aug:/a/./b"), WHAT, "aug:/a/./b", 7, "vibe id segment '.' is not allowed");
        assertRejected(() -> AugUri.parse("aug:/.."), WHAT, "aug:/..", 5, "vibe id segment '..' is not allowed");
        assertRejected(() -> AugUri.parse("aug:~../x"), WHAT, "aug:~../x", 5, "branch name segment '..' is not allowed");
        assertRejected(() -> AugUri.parse("aug:dev/..@x"), WHAT, "aug:dev/..@x", 8,
                "branch name segment '..' is not allowed");
    }

    @Test
    void emptySegmentsAreRejectedAtTheirPositionInTheUri() {
        assertRejected(() -> AugUri.parse("aug:/a//b"), WHAT, "aug:/a//b", 7, "vibe id empty segment ('//') is not allowed");
        assertRejected(() -> AugUri.parse("aug://a"), WHAT, "aug://a", 5, "vibe id leading '/' is not allowed");
        assertRejected(() -> AugUri.parse("aug:/a/"), WHAT, "aug:/a/", 6, "vibe id trailing '/' is not allowed");
        assertRejected(() -> AugUri.parse("aug:/a/?1"), WHAT, "aug:/a/?1", 6, "vibe id trailing '/' is not allowed");
        assertRejected(() -> AugUri.parse("aug:dev//x@y"), WHAT, "aug:dev//x@y", 8,
                "branch name empty segment ('//') is not allowed");
    }

    @Test
    void badRevisionsAreRejectedAtTheirPositionInTheUri() {
        assertRejected(() -> AugUri.parse("aug:/x?0"), WHAT, "aug:/x?0", 7, "revision revisions start at 1");
        assertRejected(() -> AugUri.parse("aug:/x?007"), WHAT, "aug:/x?007", 7, "revision leading zeros are not allowed");
        assertRejected(() -> AugUri.parse("aug:/x?-1"), WHAT, "aug:/x?-1", 7, "revision '-' is not a digit");
        assertRejected(() -> AugUri.parse("aug:/x?latest"), WHAT, "aug:/x?latest", 7, "revision 'l' is not a digit");
        assertRejected(() -> AugUri.parse("aug:/x?"), WHAT, "aug:/x?", 7, "revision must be a positive integer");
        assertRejected(() -> AugUri.parse("aug:/x?1?2"), WHAT, "aug:/x?1?2", 8, "revision '?' is not a digit");
        assertRejected(() -> AugUri.parse("aug:/x?2147483648"), WHAT, "aug:/x?2147483648", 7,
                "revision is larger than 2147483647");
        assertRejected(() -> AugUri.parse("aug:dev@x?0"), WHAT, "aug:dev@x?0", 10, "revision revisions start at 1");
        assertRejected(() -> AugUri.parse("aug:~dev/x?0"), WHAT, "aug:~dev/x?0", 11, "revision revisions start at 1");
    }

    @Test
    void largestRevisionIsAccepted() {
        assertEquals(Optional.of(Revision.of(Integer.MAX_VALUE)), AugUri.parse("aug:/x?2147483647").revision());
    }

    @Test
    void firstErrorFromTheLeftIsTheOneReported() {
        // the id is wrong before the revision is
        assertRejected(() -> AugUri.parse("aug:/a//b?0"), WHAT, "aug:/a//b?0", 7,
                "vibe id empty segment ('//') is not allowed");
        assertRejected(() -> AugUri.parse("aug:ma in@x?-1"), WHAT, "aug:ma in@x?-1", 6,
                "branch name character '\\u0020'" + NOT_ALLOWED);
    }

    @Test
    void idOfExactly255CharactersIsAcceptedAnd256AreRejected() {
        // given
        String longest = "a/".repeat(127) + "b";
        String tooLong = longest + "c";
        // then
        assertEquals(longest, AugUri.parse("aug:/" + longest).id().value());
        assertRejected(() -> AugUri.parse("aug:/" + tooLong), WHAT, "aug:/" + tooLong, 5 + 255,
                "vibe id is 256 characters long, at most 255 are allowed");
    }

    @Test
    void branchPastItsLengthLimitIsRejectedAtItsPositionInTheUri() {
        String text = "aug:" + "b".repeat(129) + "@x";
        assertRejected(() -> AugUri.parse(text), WHAT, text, 4 + 128,
                "branch name is 129 characters long, at most 128 are allowed");
    }

    @Test
    void whitespaceControlAndNonAsciiCharactersAreRejectedAtTheirPosition() {
        assertRejected(() -> AugUri.parse("aug:/x "), WHAT, "aug:/x ", 6, "vibe id character '\\u0020'" + NOT_ALLOWED);
        assertRejected(() -> AugUri.parse("aug:/ x"), WHAT, "aug:/ x", 5,
                "vibe id a segment must start with a letter or digit, not '\\u0020'");
        assertRejected(() -> AugUri.parse("aug:/x\ty"), WHAT, "aug:/x\ty", 6, "vibe id character '\\u0009'" + NOT_ALLOWED);
        assertRejected(() -> AugUri.parse("aug:/x\u0000"), WHAT, "aug:/x\u0000", 6,
                "vibe id character '\\u0000'" + NOT_ALLOWED);
        assertRejected(() -> AugUri.parse("aug:/us\u00e9r"), WHAT, "aug:/us\u00e9r", 7, "vibe id character 'é'" + NOT_ALLOWED);
        assertRejected(() -> AugUri.parse("aug:~d\u00e9v/x"), WHAT, "aug:~d\u00e9v/x", 6,
                "branch name character 'é'" + NOT_ALLOWED);
    }

    @Test
    void leadingWhitespaceIsNotTheScheme() {
        assertRejected(() -> AugUri.parse(" aug:/x"), WHAT, " aug:/x", 0, "must start with 'aug:'");
    }

    @Test
    void otherSchemesAreRejected() {
        assertRejected(() -> AugUri.parse("https://example.com/x"), WHAT, "https://example.com/x", 0,
                "must start with 'aug:'");
        assertRejected(() -> AugUri.parse("#/$defs/x"), WHAT, "#/$defs/x", 0, "must start with 'aug:'");
        assertRejected(() -> AugUri.parse("main@x?1"), WHAT, "main@x?1", 0, "must start with 'aug:'");
        assertRejected(() -> AugUri.parse("aug/x"), WHAT, "aug/x", 0, "must start with 'aug:'");
    }

    @Test
    void schemeIsCaseSensitive() {
        assertRejected(() -> AugUri.parse("AUG:/x"), WHAT, "AUG:/x", 0, "must start with 'aug:'");
        assertFalse(AugUri.looksLikeAugUri("AUG:/x"));
    }

    @Test
    void nullAndEmptyTextAreRejected() {
        assertRejected(() -> AugUri.parse(null), WHAT, null, -1, "must not be null");
        assertRejected(() -> AugUri.parse(""), WHAT, "", 0, "must start with 'aug:'");
    }

    @Test
    void onlyTextWithTheSchemeLooksLikeAnAugUri() {
        assertTrue(AugUri.looksLikeAugUri("aug:"));
        assertTrue(AugUri.looksLikeAugUri("aug:/x"));
        assertFalse(AugUri.looksLikeAugUri("#/$defs/x"));
        assertFalse(AugUri.looksLikeAugUri(""));
        assertFalse(AugUri.looksLikeAugUri(null));
    }

    @Test
    void uriNeedsOptionalsNotNulls() {
        assertThrows(IllegalArgumentException.class, () -> new AugUri(null, VibeId.parse("x"), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new AugUri(Optional.empty(), null, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new AugUri(Optional.empty(), VibeId.parse("x"), null));
    }
}
