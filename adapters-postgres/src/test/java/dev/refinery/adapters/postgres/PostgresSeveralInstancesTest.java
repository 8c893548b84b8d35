package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Two service instances (two pools) on one database are as safe as one: the locks live in PostgreSQL. */
class PostgresSeveralInstancesTest {
    private static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);
    private static final VibeId COUNTER = new VibeId("counter");

    @Test
    void twoInstancesRefiningOneIdHandOutEveryRevisionOnce() throws Exception {
        int instances = 2, threadsEach = 4, refinesEach = 50;
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
        try (TestDatabase db = TestDatabase.create();
             PostgresVibeLedger first = PostgresVibeLedger.create(db.application().withPoolSize(4));
             PostgresVibeLedger second = PostgresVibeLedger.create(db.application().withPoolSize(4))) {
            List<RefineService> services = List.of(
                    new RefineService(first, clock, new SchemaResolver(), new SchemaValidator(), 10),
                    new RefineService(second, clock, new SchemaResolver(), new SchemaValidator(), 10));
            ExecutorService pool = Executors.newFixedThreadPool(instances * threadsEach);
            List<Future<List<Integer>>> futures = new ArrayList<>();
            try {
                for (int t = 0; t < instances * threadsEach; t++) {
                    RefineService refine = services.get(t % instances);
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        List<Integer> revisions = new ArrayList<>();
                        for (int i = 0; i < refinesEach; i++) {
                            var json = JsonNodeFactory.instance;
                            VibeDraft draft = VibeDraft.of(COUNTER, Kind.RECORD, json.objectNode(), json.objectNode(),
                                    json.numberNode(thread * 1000 + i));
                            RefineOutcome outcome = refine.refine(new RefineCommand(BranchName.MAIN, ROOT, "count",
                                    Optional.empty(), List.of(), List.of(), List.of(), false, List.of(draft)));
                            revisions.add(assertInstanceOf(RefineOutcome.Written.class, outcome).vibes().getFirst()
                                    .vibe().revision().value());
                        }
                        return revisions;
                    }));
                }
                Set<Integer> revisions = new TreeSet<>();
                for (Future<List<Integer>> f : futures) revisions.addAll(f.get(2, TimeUnit.MINUTES));
                int total = instances * threadsEach * refinesEach;
                assertEquals(total, revisions.size(), "no revision handed out twice");
                assertEquals(total, ((TreeSet<Integer>) revisions).last(), "no gap");
                List<Vibe> history = first.read(tx -> tx.history(BranchName.MAIN, COUNTER, Instant.MAX,
                        Integer.MAX_VALUE, total + 1));
                assertEquals(total, history.size());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
