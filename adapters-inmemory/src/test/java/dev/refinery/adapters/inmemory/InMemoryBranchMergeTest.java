package dev.refinery.adapters.inmemory;

import dev.refinery.application.contract.BranchMergeContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemoryBranchMergeTest extends BranchMergeContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }
}
