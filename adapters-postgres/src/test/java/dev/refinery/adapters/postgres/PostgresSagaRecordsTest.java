package dev.refinery.adapters.postgres;

import dev.refinery.application.contract.SagaRecordsContract;
import dev.refinery.application.port.VibeLedger;
import org.junit.jupiter.api.AfterEach;

import java.time.Clock;

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
}
