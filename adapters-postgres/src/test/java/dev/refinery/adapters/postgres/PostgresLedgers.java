package dev.refinery.adapters.postgres;

import dev.refinery.application.port.VibeLedger;
import io.helidon.dbclient.DbClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Fresh PostgreSQL ledgers for the contract tests, each on its own database, connected as the service's role, reading
 * through a pool of read-only REPEATABLE READ connections as the server does.
 */
final class PostgresLedgers {
    private final List<AutoCloseable> open = new ArrayList<>();

    VibeLedger newLedger() {
        TestDatabase db = TestDatabase.create();
        open.add(db);
        DbClient writes = db.application().withPoolSize(10).createDbClient();
        open.add(writes::close);
        DbClient reads = db.application().withPoolSize(4).createReadOnlyDbClient();
        open.add(reads::close);
        return PostgresVibeLedger.withReadPool(writes, reads);
    }

    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        open.clear();
    }
}
