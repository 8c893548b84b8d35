package dev.refinery.bootstrap;

import dev.refinery.adapters.http.TestBackend;
import dev.refinery.adapters.postgres.PostgresVibeLedger;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The API tests bootstrap runs again (execution http-api-over-postgres) really run on PostgreSQL. */
class PostgresTestBackendTest {

    @Test
    void theApiTestsOnThisClasspathUseThePostgresLedger() {
        TestBackend backend = TestBackend.current();

        assertInstanceOf(PostgresTestBackend.class, backend);
        assertInstanceOf(PostgresVibeLedger.class, backend.open(Clock.systemUTC()).ledger());
    }
}
