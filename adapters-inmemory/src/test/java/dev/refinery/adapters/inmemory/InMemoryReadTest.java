package dev.refinery.adapters.inmemory;

import dev.refinery.application.contract.ReadContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemoryReadTest extends ReadContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }
}
