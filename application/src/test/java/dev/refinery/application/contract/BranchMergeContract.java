package dev.refinery.application.contract;

import dev.refinery.application.branch.BranchUseCases;
import dev.refinery.application.branch.BranchUseCases.CreateOutcome;
import dev.refinery.application.read.Queries;
import dev.refinery.application.refine.MergeCommand;
import dev.refinery.application.refine.MergeOutcome;
import dev.refinery.application.refine.Resolution;
import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Branches and merges over a ledger adapter. */
public abstract class BranchMergeContract extends LedgerFixture {
    private static final BranchName DEV = new BranchName("dev");

    private Optional<Vibe> head(BranchName branch, String id) {
        return read.read(new Queries.ReadVibe(branch, new VibeId(id), Optional.empty(), Optional.empty()));
    }

    private Optional<Vibe> headAsOf(BranchName branch, String id, Instant asOf) {
        return read.read(new Queries.ReadVibe(branch, new VibeId(id), Optional.empty(), Optional.of(asOf)));
    }

    private MergeOutcome mergeDev(Map<VibeId, Resolution> resolutions) {
        return merge.merge(new MergeCommand(DEV, MAIN, ROOT, "", resolutions, Optional.empty()));
    }

    @Test
    void aForkSeesItsBaseAsOfTheForkAndNothingWrittenThereAfter() {
        write("x", "{}", "1");
        write("x", "{}", "2");
        Vibe x3 = write("x", "{}", "3");
        fork("dev", "main");
        write("x", "{}", "'4 on main'");
        write("y", "{}", "'new on main'");

        assertEquals(Optional.of(x3), head(DEV, "x"));
        assertEquals(Optional.empty(), head(DEV, "y"));
        Vibe onDev = write(DEV, "x", "{}", "'4 on dev'");
        assertEquals(VibeRef.of("dev", "x", 4), onDev.ref(), "revisions continue from what the branch sees");
    }

    @Test
    void aGrandchildSeesTheRootAsOfTheFirstFork() {
        write("x", "{}", "1");
        fork("dev", "main");
        write("x", "{}", "'2 on main'");
        fork("dev/feature", "dev");

        assertEquals(1, head(new BranchName("dev/feature"), "x").orElseThrow().revision().value());
    }

    @Test
    void branchesAreCreatedOnceListedAndRead() {
        CreateOutcome created = branches.create(new BranchUseCases.CreateBranch(DEV, MAIN, ROOT));
        CreateOutcome again = branches.create(new BranchUseCases.CreateBranch(DEV, MAIN, ROOT));
        CreateOutcome noBase = branches.create(new BranchUseCases.CreateBranch(new BranchName("x"),
                new BranchName("nope"), ROOT));

        Branch dev = assertInstanceOf(CreateOutcome.Created.class, created).branch();
        assertEquals(dev, assertInstanceOf(CreateOutcome.AlreadyExists.class, again).existing());
        assertInstanceOf(CreateOutcome.BaseNotFound.class, noBase);
        assertEquals(Optional.of(MAIN), dev.base());
        assertEquals(ROOT, dev.createdBy());
        assertEquals(List.of(DEV, MAIN), branches.list().stream().map(Branch::name).toList());
        assertEquals(Optional.of(dev), branches.branch(DEV));
        assertEquals(Optional.empty(), branches.branch(new BranchName("x")));
    }

    @Test
    void diffListsIdsWhoseHeadsDiffer() {
        Vibe same = write("same", "{}", "1");
        write("changed", "{}", "1");
        fork("dev", "main");
        Vibe changed = write(DEV, "changed", "{}", "2");
        Vibe added = write(DEV, "added", "{}", "1");

        List<BranchUseCases.Difference> diff = branches.diff(MAIN, DEV).orElseThrow();

        assertEquals(List.of(
                new BranchUseCases.Difference(new VibeId("added"), Optional.empty(), Optional.of(added.ref())),
                new BranchUseCases.Difference(new VibeId("changed"), Optional.of(VibeRef.of("main", "changed", 1)),
                        Optional.of(changed.ref()))), diff);
        assertTrue(diff.stream().noneMatch(d -> d.id().equals(same.id())));
        assertEquals(Optional.empty(), branches.diff(MAIN, new BranchName("nope")));
    }

    @Test
    void anIdChangedOnlyOnTheSourceFastForwards() {
        write("x", "{}", "1");
        fork("dev", "main");
        Vibe x2 = write(DEV, "x", "{}", "2");
        Vibe x3 = write(DEV, "x", "{}", "3");
        Vibe y1 = write(DEV, "y", "{}", "1");
        Instant beforeMerge = clock.instant();

        MergeOutcome.Merged merged = assertInstanceOf(MergeOutcome.Merged.class, mergeDev(Map.of()));

        assertEquals(List.of(x2.ref(), x3.ref(), y1.ref()), merged.fastForwarded());
        assertEquals(RefinementKind.MERGE, merged.refinement().kind());
        assertEquals(MAIN, merged.refinement().branch());
        assertEquals(x3.ref(), head(MAIN, "x").orElseThrow().ref());
        assertEquals(List.of(DEV, MAIN), head(MAIN, "x").orElseThrow().branches());
        assertEquals(1, headAsOf(MAIN, "x", beforeMerge).orElseThrow().revision().value(),
                "asOf respects when a revision became visible on the branch, not when it was written");
        assertEquals(VibeRef.of("main", "x", 4), write("x", "{}", "4").ref());
    }

    @Test
    void anIdChangedOnBothIsAConflictWithBothHeads() {
        write("x", "{}", "1");
        fork("dev", "main");
        Vibe onDev = write(DEV, "x", "{}", "'dev'");
        Vibe onMain = write("x", "{}", "'main'");
        write(DEV, "y", "{}", "1");

        MergeOutcome outcome = mergeDev(Map.of());

        assertEquals(new MergeOutcome.Conflicts(List.of(new MergeOutcome.Conflict(new VibeId("x"), onDev.ref(),
                onMain.ref()))), outcome);
        assertEquals(Optional.empty(), head(MAIN, "y"), "a refused merge writes nothing");
    }

    @Test
    void conflictsAreResolvedBySourceTargetOrANewBody() {
        for (String id : List.of("a", "b", "c")) write(id, "{}", "1");
        fork("dev", "main");
        for (String id : List.of("a", "b", "c")) {
            write(DEV, id, "{}", "'dev'");
            write(id, "{}", "'main'");
        }

        MergeOutcome outcome = mergeDev(Map.of(
                new VibeId("a"), new Resolution.TakeSource(),
                new VibeId("b"), new Resolution.TakeTarget(),
                new VibeId("c"), new Resolution.Write(draft("c", "{}", "'both'"))));

        MergeOutcome.Merged merged = assertInstanceOf(MergeOutcome.Merged.class, outcome);
        assertEquals("dev", head(MAIN, "a").orElseThrow().solution().asText());
        assertEquals(3, head(MAIN, "a").orElseThrow().revision().value());
        assertEquals("main", head(MAIN, "b").orElseThrow().solution().asText());
        assertEquals("both", head(MAIN, "c").orElseThrow().solution().asText());
        assertEquals(2, merged.written().size());
        assertTrue(merged.written().stream().allMatch(v -> v.refinementId() == merged.refinement().id()));
    }

    @Test
    void aResolutionForAnIdWithoutConflictIsInvalid() {
        write("x", "{}", "1");
        fork("dev", "main");

        MergeOutcome outcome = mergeDev(Map.of(new VibeId("x"), new Resolution.TakeSource()));

        assertInstanceOf(MergeOutcome.Invalid.class, outcome);
    }

    @Test
    void mergingAgainAfterAFastForwardFindsNothingNewAndLaterWorkConflictsCorrectly() {
        write("x", "{}", "1");
        fork("dev", "main");
        write(DEV, "x", "{}", "2");
        assertInstanceOf(MergeOutcome.Merged.class, mergeDev(Map.of()));

        MergeOutcome.Merged nothing = assertInstanceOf(MergeOutcome.Merged.class, mergeDev(Map.of()));
        write(DEV, "x", "{}", "'3 dev'");
        write("x", "{}", "'3 main'");
        MergeOutcome conflict = mergeDev(Map.of());

        assertEquals(List.of(), nothing.fastForwarded());
        assertInstanceOf(MergeOutcome.Conflicts.class, conflict);
    }

    @Test
    void mergeIntoAnUnknownBranchIsNotFound() {
        fork("dev", "main");

        MergeOutcome outcome = merge.merge(new MergeCommand(DEV, new BranchName("nope"), ROOT, "", Map.of(),
                Optional.empty()));

        assertInstanceOf(MergeOutcome.NotFound.class, outcome);
    }

    /** Every head of a branch, from the whole listing. */
    private Map<VibeId, VibeRef> allHeads(BranchName branch) {
        Map<VibeId, VibeRef> heads = new java.util.TreeMap<>();
        ledger.read(tx -> tx.heads(branch, Instant.MAX, "", Optional.empty(), Optional.empty(), 100_000))
                .forEach(v -> heads.put(v.id(), v.ref()));
        return heads;
    }

    private List<BranchUseCases.Difference> wholeDiff(BranchName from, BranchName to) {
        Map<VibeId, VibeRef> a = allHeads(from);
        Map<VibeId, VibeRef> b = allHeads(to);
        java.util.TreeSet<VibeId> ids = new java.util.TreeSet<>(a.keySet());
        ids.addAll(b.keySet());
        return ids.stream().filter(id -> !java.util.Objects.equals(a.get(id), b.get(id)))
                .map(id -> new BranchUseCases.Difference(id, Optional.ofNullable(a.get(id)), Optional.ofNullable(b.get(id))))
                .toList();
    }

    @Test
    void diffsAndMergesLookOnlyAtWhatChangedAndAgreeWithTheWholeListings() {
        BranchName feat = new BranchName("feat");
        BranchName late = new BranchName("late");
        write("a", "{}", "1");
        write("b", "{}", "1");
        write("g", "{}", "1");
        fork("dev", "main");
        write(DEV, "a", "{}", "2");
        write(DEV, "c", "{}", "1");
        write("b", "{}", "2");
        write("d", "{}", "1");
        fork("feat", "dev");
        write(feat, "c", "{}", "2");
        write(feat, "e", "{}", "1");
        write(DEV, "h", "{}", "1");                      // after feat's fork: not on feat
        fork("late", "main");
        write(late, "d", "{}", "2");
        List<BranchName> all = List.of(MAIN, DEV, feat, late);
        for (BranchName x : all) {
            for (BranchName y : all) assertEquals(wholeDiff(x, y), branches.diff(x, y).orElseThrow(), x + " -> " + y);
        }

        // main into dev (b and d fast-forward; a is ahead on dev), then dev into main, then feat into late
        assertInstanceOf(MergeOutcome.Merged.class, merge.merge(new MergeCommand(MAIN, DEV, ROOT, "", Map.of(), Optional.empty())));
        assertEquals(List.of(), wholeDiff(MAIN, DEV).stream().filter(d -> !d.id().value().equals("a")
                && !d.id().value().equals("c") && !d.id().value().equals("h")).toList(), "dev has all of main");
        MergeOutcome.Merged back = assertInstanceOf(MergeOutcome.Merged.class, mergeDev(Map.of()));
        assertEquals(List.of(), wholeDiff(MAIN, DEV));
        assertEquals(List.of("dev@a?2", "dev@c?1", "dev@h?1"), back.fastForwarded().stream().map(VibeRef::toString).toList(),
                "only what dev changed comes back: main's own writes that dev merged are visible on main already");
        MergeOutcome.Merged lateFeat = assertInstanceOf(MergeOutcome.Merged.class,
                merge.merge(new MergeCommand(feat, late, ROOT, "", Map.of(), Optional.empty())));
        assertEquals(List.of("dev@a?2", "dev@c?1", "feat@c?2", "feat@e?1"),
                lateFeat.fastForwarded().stream().map(VibeRef::toString).toList());
        assertEquals(List.of("b", "d"), wholeDiff(feat, late).stream().map(d -> d.id().value()).toList(),
                "late keeps the b and d main had at its fork (feat's fork of main was older); the rest of feat is on late");
        for (BranchName x : all) {
            for (BranchName y : all) assertEquals(wholeDiff(x, y), branches.diff(x, y).orElseThrow(), x + " -> " + y);
        }
    }
}
