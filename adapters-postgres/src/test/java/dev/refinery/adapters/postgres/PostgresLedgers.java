package dev.refinery.adapters.postgres;

import dev.refinery.application.port.VibeLedger;

import java.util.ArrayList;
import java.util.List;

/** Fresh PostgreSQL ledgers for the contract tests, each on its own database, connected as the service's role. */
final class PostgresLedgers {
    private final List<AutoCloseable> open = new ArrayList<>();

    VibeLedger newLedger() {
        TestDatabase db = TestDatabase.create();
        open.add(db);
        PostgresVibeLedger ledger = PostgresVibeLedger.create(db.application().withPoolSize(10));
        open.add(ledger);
        return ledger;
    }

    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        open.clear();
    }
}
