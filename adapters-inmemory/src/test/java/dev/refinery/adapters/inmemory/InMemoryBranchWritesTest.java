package dev.refinery.adapters.inmemory;

import dev.refinery.application.contract.BranchWritesContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemoryBranchWritesTest extends BranchWritesContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }
}
