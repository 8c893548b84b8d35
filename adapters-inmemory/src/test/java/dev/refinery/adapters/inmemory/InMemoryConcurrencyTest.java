package dev.refinery.adapters.inmemory;

import dev.refinery.application.contract.ConcurrencyContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemoryConcurrencyTest extends ConcurrencyContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }
}
