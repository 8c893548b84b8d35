package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BranchVisibilityTest {
    private static final BranchName MAIN = BranchName.MAIN;
    private static final BranchName DEV = BranchName.parse("dev");
    private static final BranchName FEATURE = BranchName.parse("dev/feature-x");
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    /** A small ledger: branches, and the moments revisions of one id became visible on them. */
    private final Map<BranchName, Branch> branches = new HashMap<>();
    private final List<Visibility> entries = new ArrayList<>();

    BranchVisibilityTest() {
        branches.put(MAIN, new Branch(MAIN, Optional.empty(), 0, T0, VibeRef.parse("main@roles/admin?1")));
    }

    private void fork(BranchName name, BranchName base, long forkRefinementId) {
        branches.put(name, new Branch(name, Optional.of(base), forkRefinementId, at(forkRefinementId),
                VibeRef.parse("main@roles/admin?1")));
    }

    /** Refinement {@code refinementId} wrote {@code ref} on its own branch, at minute {@code refinementId}. */
    private void write(String ref, long refinementId) {
        VibeRef r = VibeRef.parse(ref);
        entries.add(new Visibility(r, r.branch(), refinementId, at(refinementId)));
    }

    /** Refinement {@code refinementId} fast-forwarded {@code ref} onto {@code target}. */
    private void fastForward(String ref, BranchName target, long refinementId) {
        entries.add(new Visibility(VibeRef.parse(ref), target, refinementId, at(refinementId)));
    }

    private BranchLineage lineage(BranchName branch) {
        return BranchLineage.of(branch, name -> Optional.ofNullable(branches.get(name))).orElseThrow();
    }

    private List<Visibility> entriesOf(String id) {
        return entries.stream().filter(e -> e.ref().id().value().equals(id)).toList();
    }

    /** The head of id {@code x}, the one most tests write. */
    private Optional<VibeRef> head(BranchName branch) {
        return head(branch, "x");
    }

    private Optional<VibeRef> head(BranchName branch, String id) {
        return BranchVisibility.head(entriesOf(id), lineage(branch), Instant.MAX);
    }

    private Optional<VibeRef> headAsOf(BranchName branch, Instant asOf) {
        return BranchVisibility.head(entriesOf("x"), lineage(branch), asOf);
    }

    private List<VibeRef> history(BranchName branch) {
        return BranchVisibility.history(entriesOf("x"), lineage(branch), Instant.MAX);
    }

    private static Instant at(long minute) {
        return T0.plusSeconds(60 * minute);
    }

    private static Optional<VibeRef> ref(String text) {
        return Optional.of(VibeRef.parse(text));
    }

    private static List<VibeRef> refs(String... texts) {
        return Arrays.stream(texts).map(VibeRef::parse).toList();
    }

    // --- main only

    @Test
    void mainSeesItsLatestRevision() {
        // given
        write("main@x?1", 1);
        write("main@x?2", 2);
        // then
        assertEquals(ref("main@x?2"), head(MAIN));
        assertEquals(refs("main@x?2", "main@x?1"), history(MAIN));
        assertEquals(Revision.of(3), BranchVisibility.nextRevision(head(MAIN)));
    }

    @Test
    void idNeverWrittenHasNoHeadAndStartsAtRevisionOne() {
        assertEquals(Optional.empty(), head(MAIN));
        assertEquals(List.of(), history(MAIN));
        assertEquals(Revision.FIRST, BranchVisibility.nextRevision(head(MAIN)));
    }

    @Test
    void lineageOfMainIsMainAlone() {
        assertEquals(List.of(new BranchLineage.Scope(MAIN, Long.MAX_VALUE)), lineage(MAIN).scopes());
        assertEquals(MAIN, lineage(MAIN).branch());
    }

    // --- a fork

    @Test
    void forkSeesItsBaseUpToTheForkPointAndNotAfter() {
        // given
        write("main@x?1", 1);
        write("main@x?2", 2);
        write("main@x?3", 3);
        fork(DEV, MAIN, 3);
        write("main@x?4", 4);
        // then
        assertEquals(ref("main@x?3"), head(DEV));
        assertEquals(refs("main@x?3", "main@x?2", "main@x?1"), history(DEV));
        assertEquals(ref("main@x?4"), head(MAIN));
    }

    @Test
    void entryOfTheForkRefinementItselfIsVisibleAndTheNextIsNot() {
        // given
        fork(DEV, MAIN, 7);
        BranchLineage dev = lineage(DEV);
        // then
        assertTrue(dev.admits(new Visibility(VibeRef.parse("main@x?1"), MAIN, 7, at(7))));
        assertFalse(dev.admits(new Visibility(VibeRef.parse("main@x?2"), MAIN, 8, at(8))));
    }

    @Test
    void lineageOfAForkIsItselfThenItsBaseBoundedByTheForkPoint() {
        // given
        fork(DEV, MAIN, 3);
        // then
        assertEquals(List.of(new BranchLineage.Scope(DEV, Long.MAX_VALUE), new BranchLineage.Scope(MAIN, 3)),
                lineage(DEV).scopes());
    }

    @Test
    void forkContinuesRevisionsFromTheInheritedHead() {
        // given: main has x?3 when dev forks
        write("main@x?1", 1);
        write("main@x?3", 3);
        fork(DEV, MAIN, 3);
        // when
        Revision next = BranchVisibility.nextRevision(head(DEV));
        write(VibeRef.of(DEV, VibeId.parse("x"), next).toString(), 4);
        // then
        assertEquals(Revision.of(4), next);
        assertEquals(ref("dev@x?4"), head(DEV));
        assertEquals(ref("main@x?3"), head(MAIN));
        assertEquals(Revision.of(5), BranchVisibility.nextRevision(head(DEV)));
    }

    @Test
    void writesOnAForkStayOffItsBase() {
        // given
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("dev@x?2", 2);
        write("dev@y?1", 3);
        // then
        assertEquals(ref("main@x?1"), head(MAIN));
        assertEquals(Optional.empty(), head(MAIN, "y"));
        assertEquals(ref("dev@y?1"), head(DEV, "y"));
    }

    @Test
    void baseAndForkEachContinueTheirOwnRevisionsAfterTheFork() {
        // given
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("dev@x?2", 2);
        write("main@x?2", 3);
        // then
        assertEquals(ref("dev@x?2"), head(DEV));
        assertEquals(refs("dev@x?2", "main@x?1"), history(DEV));
        assertEquals(ref("main@x?2"), head(MAIN));
        assertEquals(refs("main@x?2", "main@x?1"), history(MAIN));
    }

    // --- a grandchild

    @Test
    void grandchildSeesMainOnlyUpToTheSmallestForkPoint() {
        // given
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("main@x?2", 2);
        write("dev@y?1", 3);
        fork(FEATURE, DEV, 3);
        write("dev@y?2", 4);
        write("main@x?3", 5);
        // then: main's x?2 (refinement 2) is before feature's fork (3) but after dev's (1)
        assertEquals(ref("main@x?1"), head(FEATURE));
        assertEquals(refs("main@x?1"), history(FEATURE));
        assertEquals(ref("dev@y?1"), head(FEATURE, "y"));
        assertEquals(ref("main@x?3"), head(MAIN));
        assertEquals(ref("dev@y?2"), head(DEV, "y"));
    }

    @Test
    void lineageOfAGrandchildCarriesTheSmallestForkPointDown() {
        // given
        fork(DEV, MAIN, 1);
        fork(FEATURE, DEV, 3);
        // then
        assertEquals(List.of(
                new BranchLineage.Scope(FEATURE, Long.MAX_VALUE),
                new BranchLineage.Scope(DEV, 3),
                new BranchLineage.Scope(MAIN, 1)), lineage(FEATURE).scopes());
    }

    @Test
    void grandchildContinuesFromTheRevisionItsParentHadAtTheFork() {
        // given
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("dev@x?2", 2);
        fork(FEATURE, DEV, 2);
        write("dev@x?3", 3);
        // then
        assertEquals(ref("dev@x?2"), head(FEATURE));
        assertEquals(Revision.of(3), BranchVisibility.nextRevision(head(FEATURE)));
    }

    // --- asOf

    @Test
    void asOfBeforeAWriteDoesNotSeeIt() {
        // given
        write("main@x?1", 1);
        write("main@x?2", 5);
        // then
        assertEquals(ref("main@x?1"), headAsOf(MAIN, at(4)));
        assertEquals(Optional.empty(), headAsOf(MAIN, at(0)));
    }

    @Test
    void asOfTheExactMomentOfAWriteSeesIt() {
        write("main@x?1", 1);
        write("main@x?2", 5);
        assertEquals(ref("main@x?2"), headAsOf(MAIN, at(5)));
        assertEquals(ref("main@x?2"), headAsOf(MAIN, at(6)));
    }

    @Test
    void asOfOnAForkStillStopsAtTheForkPoint() {
        // given
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("main@x?2", 2);
        // then
        assertEquals(ref("main@x?1"), headAsOf(DEV, at(10)));
        assertEquals(Optional.empty(), headAsOf(DEV, at(0)));
    }

    @Test
    void historyAsOfListsOnlyWhatWasVisibleThen() {
        write("main@x?1", 1);
        write("main@x?2", 2);
        write("main@x?3", 3);
        assertEquals(refs("main@x?2", "main@x?1"), BranchVisibility.history(entries, lineage(MAIN), at(2)));
    }

    // --- fast-forward merges

    @Test
    void fastForwardMakesTheSourceRevisionTheHeadOfTheTarget() {
        // given
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("dev@x?2", 2);
        // when
        fastForward("dev@x?2", MAIN, 3);
        // then
        assertEquals(ref("dev@x?2"), head(MAIN));
        assertEquals(refs("dev@x?2", "main@x?1"), history(MAIN));
        assertEquals(Revision.of(3), BranchVisibility.nextRevision(head(MAIN)));
    }

    @Test
    void asOfRespectsWhenTheMergeHappenedNotWhenTheRevisionWasWritten() {
        // given
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("dev@x?2", 2);
        fastForward("dev@x?2", MAIN, 9);
        // then: written at minute 2, on main only from minute 9
        assertEquals(ref("main@x?1"), headAsOf(MAIN, at(2)));
        assertEquals(ref("main@x?1"), headAsOf(MAIN, at(8)));
        assertEquals(ref("dev@x?2"), headAsOf(MAIN, at(9)));
        assertEquals(ref("dev@x?2"), headAsOf(DEV, at(2)));
    }

    @Test
    void branchForkedAfterAFastForwardInheritsItAndOneForkedBeforeDoesNot() {
        // given
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("dev@x?2", 2);
        BranchName before = BranchName.parse("before");
        BranchName after = BranchName.parse("after");
        fork(before, MAIN, 2);
        fastForward("dev@x?2", MAIN, 3);
        fork(after, MAIN, 3);
        // then
        assertEquals(ref("main@x?1"), head(before));
        assertEquals(ref("dev@x?2"), head(after));
        assertEquals(Revision.of(3), BranchVisibility.nextRevision(head(after)));
    }

    @Test
    void revisionVisibleThroughTwoScopesIsListedOnce() {
        // given: dev's revision is fast-forwarded to main, and a branch of dev also sees main
        BranchName hotfix = BranchName.parse("hotfix");
        write("main@x?1", 1);
        fork(DEV, MAIN, 1);
        write("dev@x?2", 2);
        fastForward("dev@x?2", MAIN, 3);
        branches.put(hotfix, new Branch(hotfix, Optional.of(MAIN), 3, at(3), VibeRef.parse("main@roles/admin?1")));
        // then
        assertEquals(refs("dev@x?2", "main@x?1"), history(hotfix));
    }

    // --- lineage look-ups

    @Test
    void unknownBranchHasNoLineage() {
        assertEquals(Optional.empty(),
                BranchLineage.of(BranchName.parse("nope"), name -> Optional.ofNullable(branches.get(name))));
    }

    @Test
    void branchWhoseBaseIsMissingHasNoLineage() {
        // given
        fork(FEATURE, DEV, 3);
        // then
        assertEquals(Optional.empty(), BranchLineage.of(FEATURE, name -> Optional.ofNullable(branches.get(name))));
    }

    @Test
    void cyclicBasesFailInsteadOfLoopingForever() {
        // given: a broken store where dev and feature are each other's base
        fork(DEV, FEATURE, 1);
        fork(FEATURE, DEV, 2);
        // then
        assertThrows(IllegalStateException.class,
                () -> BranchLineage.of(DEV, name -> Optional.ofNullable(branches.get(name))));
    }

    @Test
    void lineageHasAtLeastItsOwnBranch() {
        assertThrows(IllegalArgumentException.class, () -> new BranchLineage(List.of()));
    }

    @Test
    void onlyMainHasNoBase() {
        VibeRef creator = VibeRef.parse("main@roles/admin?1");
        assertThrows(IllegalArgumentException.class, () -> new Branch(MAIN, Optional.of(DEV), 0, T0, creator));
        assertThrows(IllegalArgumentException.class, () -> new Branch(DEV, Optional.empty(), 0, T0, creator));
        assertThrows(IllegalArgumentException.class, () -> new Branch(DEV, Optional.of(MAIN), -1, T0, creator));
    }
}
