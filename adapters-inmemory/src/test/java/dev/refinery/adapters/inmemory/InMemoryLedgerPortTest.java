package dev.refinery.adapters.inmemory;

import dev.refinery.application.contract.LedgerPortContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemoryLedgerPortTest extends LedgerPortContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }
}
