package dev.refinery.adapters.http;

import dev.refinery.adapters.inmemory.InMemoryTokenStore;
import dev.refinery.adapters.inmemory.InMemoryVibeLedger;
import dev.refinery.application.auth.TokenStore;
import dev.refinery.application.port.VibeLedger;

import java.time.Clock;
import java.util.ServiceLoader;

/**
 * Where the API tests keep their ledger and tokens: in memory here; a module that has another
 * adapter (bootstrap: PostgreSQL) registers its own with {@link ServiceLoader} and runs these very
 * tests over it.
 */
public interface TestBackend {

    /** A fresh ledger and the token store beside it. */
    Stores open(Clock clock);

    record Stores(VibeLedger ledger, TokenStore tokens) {}

    static TestBackend current() {
        return ServiceLoader.load(TestBackend.class).findFirst()
                .orElse(clock -> new Stores(new InMemoryVibeLedger(clock), new InMemoryTokenStore()));
    }
}
