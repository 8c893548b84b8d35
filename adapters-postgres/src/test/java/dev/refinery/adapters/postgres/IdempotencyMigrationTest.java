package dev.refinery.adapters.postgres;

import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** V12 on a ledger written before it: keys recorded without a digest keep their answers, and the rules hold. */
class IdempotencyMigrationTest {
    private static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);
    private static final String RUN = UUID.randomUUID().toString();
    private static final String START = UUID.randomUUID().toString();

    private static RefineCommand keyed(String key, String id) {
        return new RefineCommand(BranchName.MAIN, ROOT, "after", Optional.of(key), List.of(), List.of(), List.of(),
                false, List.of(VibeDraft.of(new VibeId(id), Kind.RECORD, null, null, JsonNodeFactory.instance.numberNode(1))));
    }

    @Test
    void rowsWrittenBeforeKeepTheirKeysAndTheNewRulesHold() {
        try (TestDatabase db = TestDatabase.create()) {
            // given a ledger at V11, with a client's keyed refine, a run's result and a keyed start
            db.execute("DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
            PostgresLedgerConfig owner = db.owner();
            Flyway.configure().dataSource(owner.url(), owner.username(), owner.password().orElse(null))
                    .locations(PostgresMigrations.LOCATION).placeholderReplacement(false).target("11").load().migrate();
            db.execute("""
                    INSERT INTO refinements (id, branch, author_ref, kind, message, idempotency_key, created_at)
                    VALUES (1000, 'main', 'main@roles/root?1', 'refine', 'before', 'client-key', now()),
                           (1001, 'main', 'main@roles/root?1', 'process', 'a run', '%s', now())""".formatted(RUN),
                    "SELECT setval('refinement_id_seq', 1001)", """
                    INSERT INTO saga_instances (id, saga_type, current_state, status, context)
                    VALUES ('%s', 'main@processes/p?1', 'first', 'RUNNING',
                            '{"author": "main@roles/root?1", "idempotencyKey": "start-key"}')""".formatted(START));

            // when
            new PostgresMigrations(owner).migrate();

            // then the ledger reads them as before, the run's key apart from the clients'
            try (PostgresVibeLedger ledger = PostgresVibeLedger.create(owner)) {
                Refinement before = ledger.read(tx -> tx.refinementByIdempotencyKey(ROOT, "client-key")).orElseThrow();
                assertEquals(1000, before.id());
                assertEquals(Optional.empty(), before.requestDigest());
                assertEquals(Optional.empty(), ledger.read(tx -> tx.refinementByIdempotencyKey(ROOT, RUN)));
                SagaInstance started = ledger.read(tx -> tx.sagas().findByIdempotencyKey(ROOT, "start-key")).orElseThrow();
                assertEquals(UUID.fromString(START), started.id());
                assertEquals(Optional.empty(), started.requestDigest());

                RefineService refine = new RefineService(ledger, Clock.systemUTC(), new SchemaResolver(),
                        new SchemaValidator(), 100);
                // a key recorded without a digest: its repeat is taken as a retry
                assertEquals(before, assertInstanceOf(RefineOutcome.Replayed.class,
                        refine.refine(keyed("client-key", "records/any"))).refinement());
                // the run id as a client's key is the client's own
                Refinement mine = assertInstanceOf(RefineOutcome.Written.class, refine.refine(keyed(RUN, "records/mine")))
                        .refinement().orElseThrow();
                assertEquals(RefinementKind.REFINE, mine.kind());
                assertTrue(mine.requestDigest().isPresent());
            }

            // and PostgreSQL keeps the rules: a new keyed refine carries its digest, a key is the author's once
            assertThrows(IllegalStateException.class, () -> db.execute("""
                    INSERT INTO refinements (id, branch, author_ref, kind, message, idempotency_key, created_at)
                    VALUES (2000, 'main', 'main@roles/root?1', 'refine', 'no digest', 'k2', now())"""));
            assertThrows(IllegalStateException.class, () -> db.execute("""
                    INSERT INTO refinements (id, branch, author_ref, kind, message, idempotency_key, request_digest,
                                             created_at)
                    VALUES (2001, 'main', 'main@roles/root?1', 'merge', 'again', 'client-key',
                            'sha256:%s', now())""".formatted("0".repeat(64))));
            assertThrows(IllegalStateException.class, () -> db.execute("""
                    INSERT INTO saga_instances (id, saga_type, current_state, status, context)
                    VALUES ('%s', 'main@processes/p?1', 'first', 'RUNNING',
                            '{"author": "main@roles/root?1", "idempotencyKey": "start-key"}')""".formatted(UUID.randomUUID())));
        }
    }
}
