package dev.refinery.adapters.inmemory;

import dev.refinery.application.contract.IdempotencyContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemoryIdempotencyTest extends IdempotencyContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }
}
