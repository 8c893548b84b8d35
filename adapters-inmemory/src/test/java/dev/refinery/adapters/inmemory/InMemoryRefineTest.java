package dev.refinery.adapters.inmemory;

import dev.refinery.application.contract.RefineContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemoryRefineTest extends RefineContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }
}
