package dev.refinery.adapters.inmemory;

import dev.refinery.application.auth.TokenStore;
import dev.refinery.application.contract.TokenStoreContract;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;

class InMemoryTokenStoreTest extends TokenStoreContract {
    @Override
    protected VibeLedger newLedger(Clock clock) {
        return new InMemoryVibeLedger(clock);
    }

    @Override
    protected TokenStore newTokenStore() {
        return new InMemoryTokenStore();
    }
}
