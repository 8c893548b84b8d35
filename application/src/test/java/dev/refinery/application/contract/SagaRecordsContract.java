package dev.refinery.application.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.port.DuplicateWriteException;
import dev.refinery.application.port.SagaRecords;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The saga state store (seed 003) over a ledger adapter: rows, optimistic versions, row locks, listings. */
public abstract class SagaRecordsContract extends LedgerFixture {
    private static final VibeRef PROCESS = VibeRef.of("main", "processes/onboard", 1);
    private static final VibeRef OTHER_PROCESS = VibeRef.of("dev", "processes/other", 3);
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");

    private static SagaInstance saga(UUID id, VibeRef type, SagaStatus status, Instant updatedAt, String key) {
        ObjectNode context = (ObjectNode) json("{'input': {'name': 'Ada ✓', 'n': 1.5, 'big': 12345678901234}, "
                + "'steps': {}, 'branch': 'main'}");
        if (key != null) context.put("author", ROOT.toString()).put("idempotencyKey", key);
        return new SagaInstance(id, type, "first", status, context, id.toString(), 0, T0, updatedAt);
    }

    private static SagaInstance saga(UUID id) {
        return saga(id, PROCESS, SagaStatus.RUNNING, T0, null);
    }

    private void insert(SagaInstance... sagas) {
        ledger.inTransaction(tx -> {
            for (SagaInstance s : sagas) tx.sagas().insert(s);
            return null;
        });
    }

    private Optional<SagaInstance> find(UUID id) {
        return ledger.read(tx -> tx.sagas().find(id));
    }

    private boolean update(SagaInstance saga) {
        return ledger.inTransaction(tx -> tx.sagas().update(saga));
    }

    @Test
    void anInsertedSagaReadsBackWithEveryField() {
        SagaInstance saga = saga(UUID.randomUUID(), PROCESS, SagaStatus.RUNNING, T0.plusSeconds(1), "key-1");

        insert(saga);

        assertEquals(Optional.of(saga), find(saga.id()));
        assertEquals(Optional.of(saga), ledger.inTransaction(tx -> tx.sagas().findForUpdate(saga.id())));
        assertEquals(Optional.empty(), find(UUID.randomUUID()));
    }

    @Test
    void timestampsAreKeptToTheMicrosecond() {
        Instant nanos = Instant.parse("2026-01-02T03:04:05.123456789Z");
        SagaInstance saga = new SagaInstance(UUID.randomUUID(), PROCESS, "s", SagaStatus.RUNNING, json("{}"), "c", 0,
                nanos, nanos);

        insert(saga);

        SagaInstance stored = find(saga.id()).orElseThrow();
        assertEquals(nanos.truncatedTo(ChronoUnit.MICROS), stored.createdAt());
        assertEquals(nanos.truncatedTo(ChronoUnit.MICROS), stored.updatedAt());
    }

    @Test
    void aSecondInsertOfTheSameIdIsRefused() {
        SagaInstance saga = saga(UUID.randomUUID());
        insert(saga);

        assertThrows(DuplicateWriteException.class, () -> insert(saga));
        assertEquals(Optional.of(saga), find(saga.id()));
    }

    @Test
    void anUpdateAtTheStoredVersionWritesAndMovesTheVersionOn() {
        SagaInstance saga = saga(UUID.randomUUID());
        insert(saga);
        SagaInstance changed = saga.changed("second", SagaStatus.COMPLETED, T0.plusSeconds(5),
                c -> ((ObjectNode) c.get("steps")).putObject("first").put("output", 7));

        assertTrue(update(changed));

        SagaInstance stored = find(saga.id()).orElseThrow();
        assertEquals(1, stored.lockVersion());
        assertEquals("second", stored.currentState());
        assertEquals(SagaStatus.COMPLETED, stored.status());
        assertEquals(changed.context(), stored.context());
        // the time given, from the clock createdAt came from (not the store's own: stuckFor compares the two)
        assertEquals(T0.plusSeconds(5), stored.updatedAt());
        assertEquals(saga.createdAt(), stored.createdAt());
        assertEquals(saga.sagaType(), stored.sagaType());
        assertEquals(saga.correlationId(), stored.correlationId());
    }

    @Test
    void anUpdateAtAStaleVersionWritesNothing() {
        SagaInstance saga = saga(UUID.randomUUID());
        insert(saga);
        assertTrue(update(saga.changed("second", SagaStatus.RUNNING, T0, c -> { })));

        assertFalse(update(saga.changed("stale", SagaStatus.FAILED, T0, c -> { })));

        SagaInstance stored = find(saga.id()).orElseThrow();
        assertEquals("second", stored.currentState());
        assertEquals(1, stored.lockVersion());
        assertFalse(update(saga(UUID.randomUUID())), "an unknown saga is not updated");
    }

    @Test
    void aRolledBackUnitOfWorkLeavesNoSagaChange() {
        SagaInstance kept = saga(UUID.randomUUID());
        insert(kept);
        SagaInstance dropped = saga(UUID.randomUUID());

        assertThrows(IllegalStateException.class, () -> ledger.inTransaction(tx -> {
            tx.sagas().insert(dropped);
            tx.sagas().update(kept.changed("moved", SagaStatus.FAILED, T0, c -> { }));
            throw new IllegalStateException("roll back");
        }));

        assertEquals(Optional.empty(), find(dropped.id()));
        assertEquals(Optional.of(kept), find(kept.id()));
    }

    @Test
    void lockedReadModifyWritesLoseNoUpdate() throws Exception {
        SagaInstance saga = saga(UUID.randomUUID());
        insert(saga);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                done.add(pool.submit(() -> ledger.inTransaction(tx -> {
                    SagaRecords sagas = tx.sagas();
                    SagaInstance current = sagas.findForUpdate(saga.id()).orElseThrow();
                    int count = current.context().path("count").asInt(0);
                    return sagas.update(current.changed("s", SagaStatus.RUNNING, T0, c -> c.put("count", count + 1)));
                })));
            }
            for (Future<Boolean> f : done) assertTrue(f.get(), "every locked update succeeds");
        } finally {
            pool.shutdownNow();
        }

        SagaInstance stored = find(saga.id()).orElseThrow();
        assertEquals(writers, stored.context().path("count").asInt());
        assertEquals(writers, stored.lockVersion());
    }

    @Test
    void aSagaIsFoundByTheIdempotencyKeyInItsContext() {
        SagaInstance keyed = saga(UUID.randomUUID(), PROCESS, SagaStatus.RUNNING, T0, "client-key");
        insert(keyed, saga(UUID.randomUUID()), saga(UUID.randomUUID(), PROCESS, SagaStatus.RUNNING, T0, "other-key"));

        assertEquals(Optional.of(keyed), ledger.read(tx -> tx.sagas().findByIdempotencyKey(ROOT, "client-key")));
        assertEquals(Optional.empty(), ledger.read(tx -> tx.sagas().findByIdempotencyKey(ROOT, "client")));
        assertEquals(Optional.empty(), ledger.read(tx -> tx.sagas().findByIdempotencyKey(
                VibeRef.of("main", "roles/other", 1), "client-key")), "keys are each author's own");
    }

    @Test
    void anAuthorsKeyIsOnOneSagaOnly() {
        insert(saga(UUID.randomUUID(), PROCESS, SagaStatus.RUNNING, T0, "taken"));
        SagaInstance theirs = saga(UUID.randomUUID(), PROCESS, SagaStatus.RUNNING, T0, "taken");
        ObjectNode context = theirs.context().deepCopy();
        context.put("author", "main@roles/other?1");
        SagaInstance other = new SagaInstance(theirs.id(), PROCESS, "first", SagaStatus.RUNNING, context,
                theirs.correlationId(), 0, T0, T0);

        assertThrows(DuplicateWriteException.class, () -> insert(saga(UUID.randomUUID(), PROCESS, SagaStatus.RUNNING,
                T0, "taken")));
        insert(other);
        assertEquals(Optional.of(other), ledger.read(tx -> tx.sagas().findByIdempotencyKey(
                VibeRef.of("main", "roles/other", 1), "taken")));
    }

    @Test
    void listingOrdersByIdTextAndPagesAfterAnId() {
        UUID a = UUID.fromString("00000000-0000-4000-8000-000000000001");
        UUID b = UUID.fromString("7fffffff-0000-4000-8000-000000000001");
        UUID c = UUID.fromString("80000000-0000-4000-8000-000000000001");
        UUID d = UUID.fromString("ffffffff-0000-4000-8000-000000000001");
        insert(saga(d), saga(b), saga(c), saga(a));

        assertEquals(List.of(a, b, c, d), ids(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 10));
        assertEquals(List.of(a, b), ids(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 2));
        assertEquals(List.of(c, d), ids(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(b), 10));
    }

    @Test
    void listingFiltersByStatusTypeAndStaleness() {
        UUID oldRunning = UUID.fromString("10000000-0000-4000-8000-000000000000");
        UUID freshRunning = UUID.fromString("20000000-0000-4000-8000-000000000000");
        UUID oldFailed = UUID.fromString("30000000-0000-4000-8000-000000000000");
        UUID otherType = UUID.fromString("40000000-0000-4000-8000-000000000000");
        insert(saga(oldRunning, PROCESS, SagaStatus.RUNNING, T0, null),
                saga(freshRunning, PROCESS, SagaStatus.RUNNING, T0.plusSeconds(600), null),
                saga(oldFailed, PROCESS, SagaStatus.FAILED, T0, null),
                saga(otherType, OTHER_PROCESS, SagaStatus.RUNNING, T0, null));

        assertEquals(List.of(oldRunning, freshRunning, otherType),
                ids(Optional.of(SagaStatus.RUNNING), Optional.empty(), Optional.empty(), Optional.empty(), 10));
        assertEquals(List.of(otherType),
                ids(Optional.empty(), Optional.of(OTHER_PROCESS), Optional.empty(), Optional.empty(), 10));
        assertEquals(List.of(oldRunning, otherType), ids(Optional.of(SagaStatus.RUNNING), Optional.empty(),
                Optional.of(T0.plusSeconds(300)), Optional.empty(), 10));
        assertEquals(List.of(), ids(Optional.empty(), Optional.empty(), Optional.of(T0), Optional.empty(), 10),
                "notUpdatedSince is exclusive");
    }

    private List<UUID> ids(Optional<SagaStatus> status, Optional<VibeRef> type, Optional<Instant> notUpdatedSince,
                           Optional<UUID> after, int limit) {
        return ledger.read(tx -> tx.sagas().list(status, type, notUpdatedSince, after, limit)).stream()
                .map(SagaInstance::id).toList();
    }
}
