package dev.refinery.bootstrap;

import dev.refinery.adapters.postgres.PostgresMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestartInTheSameFolder(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.superuserPassword());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('still here')");
            }
        }

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.superuserPassword());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertTrue(rs.next());
            assertEquals("still here", rs.getString(1));
            assertTrue(db.jdbcUrl().startsWith("jdbc:postgresql://127.0.0.1:"));
        }
    }

    @Test
    void theSuperuserNeedsAGeneratedPasswordKeptInAFileOnlyItsOwnerReads(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
            assertRefusedWithout(db, "postgres");
            Path file = dir.resolve(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(Files.readString(file).strip(), db.superuserPassword());
            assertTrue(db.superuserPassword().length() >= 40, "32 random bytes");
            assertNoTrustIn(dir);
        }
    }

    @Test
    void aFolderMadeWhenEveryLocalUserWasTrustedIsUpgradedOnStart(@TempDir Path dir) throws Exception {
        // as Refinery made it before: zonky's initdb -A trust, the service role without a password
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE refinery");
            s.execute("CREATE ROLE " + PostgresMigrations.DEFAULT_APPLICATION_ROLE + " LOGIN");
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        }

        Settings settings = EmbeddedDefaultTest.settings(dir, Map.of());
        try (Database database = Database.open(settings)) {
            EmbeddedDatabase db = EmbeddedDatabase.attachOrStart(dir);  // attached: this JVM runs it
            assertRefusedWithout(db, "postgres");
            assertRefusedWithout(db, PostgresMigrations.DEFAULT_APPLICATION_ROLE);
            assertNoTrustIn(dir);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.superuserPassword());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next(), "the data is kept");
            }
            var service = database.service();
            assertEquals(PostgresMigrations.DEFAULT_APPLICATION_ROLE, service.username());
            try (Connection c = DriverManager.getConnection(service.url(), service.username(), service.password().orElseThrow());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                assertFalse(rs.getBoolean(1), "the service connects as its least-privileged role");
            }
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.superuserPassword());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                         "SELECT rolpassword FROM pg_authid WHERE rolname IN ('postgres', 'refinery_app')")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertTrue(rs.getString(1).startsWith("SCRAM-SHA-256$4096:"), rs.getString(1));
                }
                assertEquals(2, n);
            }
            Path servicePassword = dir.resolve(EmbeddedDatabase.SERVICE_PASSWORD_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(servicePassword)));
        }
    }

    @Test
    void aPasswordIsSetAsAVerifierComputedHereNeverAsItself() {
        String sql = EmbeddedDatabase.alterPasswordSql("refinery_app", "correct horse battery staple");
        assertFalse(sql.contains("correct horse"), sql);
        assertTrue(sql.matches("ALTER ROLE \"refinery_app\" PASSWORD 'SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+'"), sql);
        assertThrows(IllegalArgumentException.class, () -> EmbeddedDatabase.alterPasswordSql("x\"; DROP", "p"));
    }

    private static void assertRefusedWithout(EmbeddedDatabase db, String user) {
        String url = db.jdbcUrl();
        SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, user, "").close(),
                user + " logs in without a password");
        assertTrue(none.getMessage().contains("password"), none.getMessage());
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url, user, "guess").close(),
                user + " logs in with a wrong password");
    }

    private static void assertNoTrustIn(Path dir) throws Exception {
        for (String line : Files.readAllLines(dir.resolve("postgres/pg_hba.conf"))) {
            if (line.strip().startsWith("#")) continue;
            assertFalse(line.contains("trust"), "pg_hba.conf still trusts: " + line);
        }
    }
}
