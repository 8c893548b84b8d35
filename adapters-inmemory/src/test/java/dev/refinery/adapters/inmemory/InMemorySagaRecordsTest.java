package dev.refinery.adapters.inmemory;

import dev.refinery.application.contract.SagaRecordsContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemorySagaRecordsTest extends SagaRecordsContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }
}
