package dev.refinery.bootstrap;

import dev.refinery.adapters.postgres.PostgresLedgerConfig;
import dev.refinery.adapters.postgres.PostgresMigrations;
import dev.refinery.adapters.postgres.SessionLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the ledger lives: the embedded PostgreSQL in the data folder (migrated at start, the service
 * connecting as a least-privileged role), or an existing PostgreSQL that {@code refinery migrate}
 * has prepared.
 */
final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String EMBEDDED_DATABASE = "refinery";

    private final Optional<EmbeddedDatabase> embedded;
    private final PostgresLedgerConfig service;
    private final String description;

    private Database(Optional<EmbeddedDatabase> embedded, PostgresLedgerConfig service, String description) {
        this.embedded = embedded;
        this.service = service;
        this.description = description;
    }

    /** For {@code serve}: starts the embedded PostgreSQL (if configured) and restarts it when it dies. */
    static Database open(Settings settings, EmbeddedDatabase.Supervision supervision) {
        if (settings.embeddedDatabase()) return embedded(settings, Optional.of(supervision));
        return existing(settings);
    }

    /**
     * For a command ({@code migrate}, {@code token create}): on the embedded default, the PostgreSQL of
     * the Refinery serving the same data folder when one does, else one started for the command.
     */
    static Database open(Settings settings) {
        if (settings.embeddedDatabase()) return embedded(settings, Optional.empty());
        return existing(settings);
    }

    private static Database existing(Settings settings) {
        PostgresLedgerConfig service = new PostgresLedgerConfig(settings.dbUrl().orElseThrow(), settings.dbUser(),
                settings.dbPassword(), settings.dbPoolSize(), Duration.ofSeconds(5), settings.sessionLimits());
        return new Database(Optional.empty(), service, service.redactedUrl() + " as " + service.username());
    }

    private static Database embedded(Settings settings, Optional<EmbeddedDatabase.Supervision> supervision) {
        EmbeddedDatabase pg = supervision.isPresent() ? EmbeddedDatabase.start(settings.dataDir())
                : EmbeddedDatabase.attachOrStart(settings.dataDir());
        try {
            createDatabaseIfMissing(pg);
            String url = pg.jdbcUrl().replaceFirst("/postgres$", "/" + EMBEDDED_DATABASE);
            PostgresLedgerConfig owner = PostgresLedgerConfig.of(url, pg.user(), pg.superuserPassword());
            String role = PostgresMigrations.DEFAULT_APPLICATION_ROLE;
            String password = pg.servicePassword();
            migrate(owner, Optional.of(role), Optional.of(password), settings.sessionLimits());
            // a role made before it had a password (or with another one) gets the one in the data folder
            try (Connection c = pg.superuserConnection(EMBEDDED_DATABASE); Statement s = c.createStatement()) {
                s.execute(EmbeddedDatabase.alterPasswordSql(role, password));
            }
            PostgresLedgerConfig service = new PostgresLedgerConfig(url, role, Optional.of(password),
                    settings.dbPoolSize(), Duration.ofSeconds(5), settings.sessionLimits());
            supervision.ifPresent(pg::supervise);
            return new Database(Optional.of(pg), service, "embedded PostgreSQL, data in " + pg.dataDir()
                    + (pg.attached() ? " (run by the Refinery serving it)" : ""));
        } catch (SQLException e) {
            pg.close();
            throw new IllegalStateException("cannot prepare the embedded database: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** False while the embedded PostgreSQL is down and being started again; true for an existing database. */
    boolean running() {
        return embedded.map(EmbeddedDatabase::running).orElse(true);
    }

    /** Applies the migrations as {@code owner}; with a role, creates it if missing and grants it what it needs. */
    static int migrate(PostgresLedgerConfig owner, Optional<String> applicationRole, Optional<String> rolePassword) {
        return migrate(owner, applicationRole, rolePassword, SessionLimits.DEFAULT);
    }

    /** {@link #migrate(PostgresLedgerConfig, Optional, Optional)}, the role's sessions bounded by {@code limits}. */
    static int migrate(PostgresLedgerConfig owner, Optional<String> applicationRole, Optional<String> rolePassword,
                       SessionLimits limits) {
        PostgresMigrations migrations = new PostgresMigrations(owner);
        int applied = migrations.migrate();
        applicationRole.ifPresent(role -> {
            migrations.createApplicationRole(role, rolePassword);
            migrations.grantApplicationRole(role, limits);
        });
        if (applied > 0) LOG.info("applied {} migration(s) to {}", applied, owner.redactedUrl());
        return applied;
    }

    private static void createDatabaseIfMissing(EmbeddedDatabase pg) {
        try (Connection c = pg.superuserConnection("postgres"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + EMBEDDED_DATABASE + "'")) {
                if (rs.next()) return;
            }
            s.execute("CREATE DATABASE " + EMBEDDED_DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the embedded database: " + e.getMessage(), e);
        }
    }

    /** How the service connects: as the least-privileged application role. */
    PostgresLedgerConfig service() {
        return service;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        embedded.ifPresent(EmbeddedDatabase::close);
    }
}
