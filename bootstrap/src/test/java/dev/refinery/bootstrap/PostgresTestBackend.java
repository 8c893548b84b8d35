package dev.refinery.bootstrap;

import dev.refinery.adapters.http.TestBackend;
import dev.refinery.adapters.postgres.PostgresTokenStore;
import dev.refinery.adapters.postgres.PostgresVibeLedger;
import dev.refinery.adapters.postgres.TestDatabase;
import io.helidon.dbclient.DbClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs adapters-http's API tests over PostgreSQL: each test server gets its own database, connected
 * as the least-privileged application role. Registered in META-INF/services for bootstrap's tests.
 */
public final class PostgresTestBackend implements TestBackend {
    private static final List<AutoCloseable> OPEN = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresTestBackend::closeAll, "drop-test-databases"));
    }

    @Override
    public Stores open(Clock clock) {
        TestDatabase database = TestDatabase.create();
        DbClient client = database.application().withPoolSize(8).createDbClient();
        synchronized (OPEN) {
            OPEN.add(database);
            OPEN.add(client);
        }
        return new Stores(new PostgresVibeLedger(client), new PostgresTokenStore(client));
    }

    private static void closeAll() {
        synchronized (OPEN) {
            for (int i = OPEN.size() - 1; i >= 0; i--) {
                try {
                    OPEN.get(i).close();
                } catch (Exception e) {
                    System.err.println("could not close " + OPEN.get(i) + ": " + e.getMessage());
                }
            }
            OPEN.clear();
        }
    }
}
