package dev.refinery.application.contract;

import dev.refinery.application.branch.BranchUseCases;
import dev.refinery.application.read.Queries;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many writers at once: nothing lost, nothing doubled, no silent overwrite. */
public abstract class ConcurrencyContract extends LedgerFixture {
    private static final int THREADS = 16;
    private static final int REFINES_PER_THREAD = 200;
    private static final VibeId COUNTER = new VibeId("counter");

    private <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) futures.add(pool.submit(task));
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get(5, TimeUnit.MINUTES));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Vibe> fullHistory(BranchName branch, VibeId id) {
        List<Vibe> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            var page = read.history(new Queries.History(branch, id, 1000, cursor)).orElseThrow();
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return all;
    }

    @Test
    void sixteenThreadsRefiningOneIdLoseAndDoubleNothing() throws Exception {
        AtomicInteger sequence = new AtomicInteger();
        List<VibeRef> acknowledged = Collections.synchronizedList(new ArrayList<>());

        runConcurrently(THREADS, () -> {
            for (int i = 0; i < REFINES_PER_THREAD; i++) {
                int n = sequence.incrementAndGet();
                RefineOutcome outcome = refine.refine(command(MAIN, draft(COUNTER.value(), "{'type':'integer'}", "" + n)));
                acknowledged.add(written(outcome).vibes().getFirst().vibe().ref());
            }
            return null;
        });

        int total = THREADS * REFINES_PER_THREAD;
        Set<Integer> revisions = new TreeSet<>();
        acknowledged.forEach(r -> revisions.add(r.revision().value()));
        assertEquals(total, acknowledged.size());
        assertEquals(total, revisions.size(), "no revision handed out twice");
        assertEquals(1, revisions.iterator().next());
        assertEquals(total, ((TreeSet<Integer>) revisions).last());
        List<Vibe> history = fullHistory(MAIN, COUNTER);
        assertEquals(total, history.size());
        Set<Integer> solutions = new TreeSet<>();
        history.forEach(v -> solutions.add(v.solution().asInt()));
        assertEquals(total, solutions.size(), "every acknowledged write is stored once");
    }

    @Test
    void withABaseTheLosersGetStaleBaseNeverASilentOverwrite() throws Exception {
        Vibe start = write(COUNTER.value(), "{'type':'integer'}", "0");
        AtomicInteger sequence = new AtomicInteger();

        List<int[]> counts = runConcurrently(THREADS, () -> {
            int won = 0;
            int stale = 0;
            for (int i = 0; i < 25; i++) {
                VibeRef base = read.read(new Queries.ReadVibe(MAIN, COUNTER, Optional.empty(), Optional.empty()))
                        .orElseThrow().ref();
                VibeDraft d = new VibeDraft(COUNTER, Kind.RECORD, Optional.of(base), Optional.empty(), json("{}"),
                        json("{'type':'integer'}"), json("" + sequence.incrementAndGet()));
                switch (refine.refine(command(MAIN, d))) {
                    case RefineOutcome.Written w -> {
                        assertEquals(base.revision().next(), w.vibes().getFirst().vibe().revision());
                        won++;
                    }
                    case RefineOutcome.StaleBase s -> stale++;
                    case RefineOutcome other -> throw new AssertionError("unexpected " + other);
                }
            }
            return new int[]{won, stale};
        });

        int won = counts.stream().mapToInt(c -> c[0]).sum();
        int stale = counts.stream().mapToInt(c -> c[1]).sum();
        assertEquals(THREADS * 25, won + stale);
        assertTrue(won >= 1);
        Vibe head = read.read(new Queries.ReadVibe(MAIN, COUNTER, Optional.empty(), Optional.empty())).orElseThrow();
        assertEquals(start.revision().value() + won, head.revision().value(), "every win is one revision, no more");
        assertEquals(won + 1, fullHistory(MAIN, COUNTER).size());
    }

    @Test
    void aForkIsExactWhileItsBaseIsWritten() throws Exception {
        AtomicInteger sequence = new AtomicInteger();
        List<VibeRef> beforeFork = Collections.synchronizedList(new ArrayList<>());
        List<Integer> forkSaw = new ArrayList<>();

        runConcurrently(4, () -> {
            int me = sequence.incrementAndGet();
            if (me == 4) {
                Thread.sleep(20);
                List<VibeRef> done = List.copyOf(beforeFork);
                branches.create(new BranchUseCases.CreateBranch(new BranchName("snap"), MAIN, ROOT));
                done.forEach(r -> assertTrue(read.read(new Queries.ReadVibe(new BranchName("snap"), r.id(),
                        Optional.of(r.revision()), Optional.empty())).isPresent(), "acknowledged before the fork: " + r));
                forkSaw.add(done.size());
                return null;
            }
            for (int i = 0; i < 60; i++) {
                String id = "w" + me;
                VibeRef ref = written(refine.refine(command(MAIN, draft(id, "{}", "" + i)))).vibes().getFirst().vibe().ref();
                beforeFork.add(ref);
            }
            return null;
        });

        long forkPoint = branches.branch(new BranchName("snap")).orElseThrow().forkRefinementId();
        for (int w = 1; w <= 3; w++) {
            VibeId id = new VibeId("w" + w);
            List<Vibe> onMain = fullHistory(MAIN, id);
            Optional<Vibe> onSnap = read.read(new Queries.ReadVibe(new BranchName("snap"), id, Optional.empty(),
                    Optional.empty()));
            long visible = onMain.stream().filter(v -> v.refinementId() <= forkPoint).count();
            assertEquals(visible, onSnap.map(v -> (long) v.revision().value()).orElse(0L),
                    "the fork sees exactly the writes with refinement ids up to its fork point");
        }
        assertEquals(1, forkSaw.size());
    }

    @Test
    void aMergeAndRefinesOfItsTargetNeverGiveAnIdTwoHeadsOfOneRevision() throws Exception {
        VibeId x = new VibeId("x");
        write("x", "{}", "0");
        for (int round = 0; round < 8; round++) {
            BranchName dev = new BranchName("dev" + round);
            fork(dev.value(), "main");
            write(dev, "x", "{}", "\"dev " + round + "\"");
            AtomicInteger turn = new AtomicInteger();
            runConcurrently(4, () -> {
                if (turn.incrementAndGet() == 1) {
                    return merge.merge(new dev.refinery.application.refine.MergeCommand(dev, MAIN, ROOT, "",
                            java.util.Map.of(), Optional.empty()));
                }
                for (int i = 0; i < 5; i++) refine.refine(command(MAIN, draft("x", "{}", "1")));
                return null;
            });
            List<Vibe> history = fullHistory(MAIN, x);
            Set<Integer> revisions = new TreeSet<>();
            for (Vibe v : history) {
                assertTrue(revisions.add(v.revision().value()),
                        "round " + round + ": two visible revisions " + v.revision() + " of x on main: " + history);
            }
            assertEquals(history.size(), revisions.size());
        }
    }
}
