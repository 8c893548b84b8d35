package dev.refinery.bootstrap;

import dev.refinery.adapters.postgres.PostgresLedgerConfig;
import dev.refinery.adapters.postgres.PostgresMigrations;
import dev.refinery.adapters.postgres.SessionLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
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

    static Database open(Settings settings) {
        if (settings.embeddedDatabase()) return embedded(settings);
        PostgresLedgerConfig service = new PostgresLedgerConfig(settings.dbUrl().orElseThrow(), settings.dbUser(),
                settings.dbPassword(), settings.dbPoolSize(), Duration.ofSeconds(5), settings.sessionLimits());
        return new Database(Optional.empty(), service, service.redactedUrl() + " as " + service.username());
    }

    private static Database embedded(Settings settings) {
        EmbeddedDatabase pg = EmbeddedDatabase.start(settings.dataDir());
        try {
            createDatabaseIfMissing(pg);
            String url = pg.jdbcUrl().replaceFirst("/postgres$", "/" + EMBEDDED_DATABASE);
            PostgresLedgerConfig owner = PostgresLedgerConfig.of(url, pg.user(), null);
            migrate(owner, Optional.of(PostgresMigrations.DEFAULT_APPLICATION_ROLE), Optional.empty(),
                    settings.sessionLimits());
            PostgresLedgerConfig service = new PostgresLedgerConfig(url, PostgresMigrations.DEFAULT_APPLICATION_ROLE,
                    Optional.empty(), settings.dbPoolSize(), Duration.ofSeconds(5), settings.sessionLimits());
            return new Database(Optional.of(pg), service, "embedded PostgreSQL, data in " + pg.dataDir());
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
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
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
             Statement s = c.createStatement()) {
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
