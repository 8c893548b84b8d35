package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.refinery.application.port.LedgerUnavailableException;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backends of the service killed under load (what a crash or a failover does to its connections):
 * the requests in flight fail cleanly, every acknowledged refine is there afterwards, nothing is
 * half-written, and the next requests succeed. Kills backends with pg_terminate_backend rather
 * than restarting the shared server.
 */
class PostgresResilienceTest {
    private static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);
    private static final Duration KILLING = Duration.ofSeconds(3);

    private TestDatabase db;
    private PostgresVibeLedger ledger;
    private RefineService refine;

    @BeforeEach
    void start() {
        db = TestDatabase.create();
        ledger = PostgresVibeLedger.create(db.application().withPoolSize(4));
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
        refine = new RefineService(ledger, clock, new SchemaResolver(), new SchemaValidator(), 10);
    }

    @AfterEach
    void stop() {
        ledger.close();
        db.close();
    }

    private RefineOutcome write(String id, int n) {
        var json = JsonNodeFactory.instance;
        VibeDraft a = VibeDraft.of(new VibeId(id), Kind.RECORD, json.objectNode(), json.objectNode().put("type", "integer"),
                json.numberNode(n));
        VibeDraft b = VibeDraft.of(new VibeId(id + "-twin"), Kind.RECORD, json.objectNode(), json.objectNode(),
                json.numberNode(n));
        return refine.refine(new RefineCommand(BranchName.MAIN, ROOT, "load", Optional.empty(), List.of(), List.of(),
                List.of(), false, List.of(a, b)));
    }

    @Test
    void killedBackendsFailTheirRequestsAndLoseNoAcknowledgedWrite() throws Exception {
        List<VibeRef> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger kills = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String id = "load/w" + t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        try {
                            var written = assertInstanceOf(RefineOutcome.Written.class, write(id, i));
                            written.vibes().forEach(v -> acknowledged.add(v.vibe().ref()));
                        } catch (LedgerUnavailableException e) {
                            unavailable.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Future<?> killer = pool.submit(() -> {
                long end = System.nanoTime() + KILLING.toNanos();
                while (System.nanoTime() < end) {
                    Thread.sleep(150);
                    kills.addAndGet(db.terminateApplicationBackends());
                }
                return null;
            });
            killer.get(30, TimeUnit.SECONDS);
            running.set(false);
            for (Future<?> w : writers) w.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertTrue(kills.get() > 0, "backends were killed");
        assertTrue(unavailable.get() > 0, "some requests failed while their connection died");
        assertTrue(acknowledged.size() > 20, "writes went on between the kills: " + acknowledged.size());

        // once the server is reachable again, new requests succeed (Hikari drops connections that failed)
        Thread.sleep(600);
        for (int i = 0; i < 10; i++) {
            assertInstanceOf(RefineOutcome.Written.class, write("after/" + i, i));
        }
        for (VibeRef ref : acknowledged) {
            assertTrue(ledger.read(tx -> tx.vibe(ref)).isPresent(), "acknowledged and lost: " + ref);
        }
        assertNothingHalfWritten();
    }

    /** Every refinement has exactly its outputs, every vibe its edges and own-branch visibility. */
    private void assertNothingHalfWritten() throws SQLException {
        try (Connection c = TestDatabase.connect(db.owner()); Statement s = c.createStatement()) {
            assertEquals(0, count(s, """
                    SELECT count(*) FROM refinements r
                    WHERE cardinality(r.output_refs) <> (SELECT count(*) FROM vibes v WHERE v.refinement_id = r.id)
                       OR EXISTS (SELECT 1 FROM unnest(r.output_refs) o(ref)
                                  WHERE NOT EXISTS (SELECT 1 FROM vibes v WHERE v.ref = o.ref AND v.refinement_id = r.id))
                    """), "refinements without all of their outputs");
            assertEquals(0, count(s, """
                    SELECT count(*) FROM vibes v WHERE NOT EXISTS (
                        SELECT 1 FROM vibe_visibility vv WHERE vv.ref = v.ref AND vv.branch = v.branch)
                    """), "vibes not visible on their own branch");
            assertEquals(0, count(s, """
                    SELECT count(*) FROM vibes v WHERE v.id LIKE 'load/w_' AND NOT EXISTS (
                        SELECT 1 FROM vibes t WHERE t.refinement_id = v.refinement_id AND t.id = v.id || '-twin')
                    """), "a refine written in part");
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
