package dev.refinery.adapters.postgres;

import dev.refinery.application.contract.IdempotencyContract;
import dev.refinery.application.port.VibeLedger;
import org.junit.jupiter.api.AfterEach;

import java.time.Clock;

class PostgresIdempotencyTest extends IdempotencyContract {
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
