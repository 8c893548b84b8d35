package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.refinery.application.contract.SagaRecordsContract;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresSagaRecordsTest extends SagaRecordsContract {
    private final PostgresLedgers ledgers = new PostgresLedgers();

    @Override
    protected VibeLedger newLedger(Clock clock) {
        return ledgers.newLedger();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        ledgers.closeAll();
    }

    /** The seed's "updated automatically when the row changes" still holds for an UPDATE that does not set it. */
    @Test
    void anUpdateByHandThatLeavesUpdatedAtAsItWasTouchesIt() {
        Instant longAgo = Instant.parse("2020-01-02T03:04:05Z");
        UUID id = UUID.randomUUID();
        SagaInstance saga = new SagaInstance(id, VibeRef.of("main", "processes/p", 1), "first", SagaStatus.RUNNING,
                JsonNodeFactory.instance.objectNode(), "c", 0, longAgo, longAgo);
        try (TestDatabase db = TestDatabase.create();
             PostgresVibeLedger ledger = PostgresVibeLedger.create(db.application())) {
            ledger.inTransaction(tx -> {
                tx.sagas().insert(saga);
                return null;
            });

            db.execute("UPDATE saga_instances SET current_state = 'by hand' WHERE id = '" + id + "'");

            SagaInstance stored = ledger.read(tx -> tx.sagas().find(id)).orElseThrow();
            assertEquals("by hand", stored.currentState());
            assertEquals(longAgo, stored.createdAt());
            Duration age = Duration.between(stored.updatedAt(), Instant.now()).abs();
            assertTrue(age.compareTo(Duration.ofMinutes(10)) < 0, "touched: " + stored.updatedAt());
        }
    }
}
