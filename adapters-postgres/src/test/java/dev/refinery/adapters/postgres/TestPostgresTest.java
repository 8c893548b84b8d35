package dev.refinery.adapters.postgres;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order in which the tests find their PostgreSQL, and the last resort working for real. */
class TestPostgresTest {

    @Test
    void theVariableWinsAndDockerIsNotEvenAsked() {
        AtomicBoolean asked = new AtomicBoolean();
        var chosen = TestPostgres.choose(Map.of(TestPostgres.URL_VARIABLE, " jdbc:postgresql://db:5432/postgres?user=a "),
                () -> {
                    asked.set(true);
                    return true;
                });
        assertEquals(TestPostgres.Source.VARIABLE, chosen.source());
        assertEquals("jdbc:postgresql://db:5432/postgres?user=a", chosen.adminUrl());
        assertFalse(asked.get());
    }

    @Test
    void withNeitherTheVariableNorDockerAnEmbeddedServerIsStartedAndWorks() throws Exception {
        var chosen = TestPostgres.choose(Map.of(TestPostgres.URL_VARIABLE, "  "), () -> false);
        try {
            assertEquals(TestPostgres.Source.EMBEDDED, chosen.source());
            assertTrue(TestPostgres.describe(chosen).startsWith("embedded PostgreSQL (jdbc:postgresql://127.0.0.1:"),
                    TestPostgres.describe(chosen));
            try (Connection c = DriverManager.getConnection(chosen.adminUrl());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000, "
                         + "current_setting('max_connections')::int, rolsuper FROM pg_roles WHERE rolname = current_user")) {
                assertTrue(rs.next());
                assertEquals(15, rs.getInt(1)); // the binaries refinery serve uses
                assertEquals(300, rs.getInt(2));
                assertTrue(rs.getBoolean(3)); // an admin login: the tests create databases and roles
            }
        } finally {
            chosen.stop().run();
        }
    }

    @Test
    void aPasswordInTheUrlIsNotPrinted() {
        var c = new TestPostgres.Chosen(TestPostgres.Source.TESTCONTAINERS,
                "jdbc:postgresql://h:1/test?user=u&password=secret", () -> { });
        assertFalse(TestPostgres.describe(c).contains("secret"), TestPostgres.describe(c));
    }
}
