package dev.refinery.benchmarks;

import dev.refinery.adapters.postgres.PostgresLedgerConfig;
import dev.refinery.adapters.postgres.PostgresMigrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * A database of the run's own on a {@link PostgresServer}: migrated as the admin (the schema's owner),
 * with a least-privileged application role for the service, as {@code refinery migrate --app-role} makes
 * it. Both are dropped by {@link #close()} (and when the JVM exits).
 */
final class BenchDatabase implements AutoCloseable {
    private final PostgresServer server;
    private final String name;
    private final String appRole;
    private final String appPassword = UUID.randomUUID().toString();
    private final Thread cleanup;
    private boolean dropped;

    private BenchDatabase(PostgresServer server, String suffix) {
        this.server = server;
        this.name = "refinery_bench_" + suffix;
        this.appRole = "refinery_bench_app_" + suffix;
        this.cleanup = new Thread(this::drop, "drop-" + name);
    }

    static BenchDatabase create(PostgresServer server) {
        BenchDatabase db = new BenchDatabase(server, UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        Runtime.getRuntime().addShutdownHook(db.cleanup);
        try (Connection c = server.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db.name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database on " + server.description() + ": " + e.getMessage(), e);
        }
        PostgresMigrations migrations = new PostgresMigrations(db.owner());
        migrations.migrate();
        migrations.createApplicationRole(db.appRole, Optional.of(db.appPassword));
        migrations.grantApplicationRole(db.appRole);
        return db;
    }

    String name() {
        return name;
    }

    PostgresServer server() {
        return server;
    }

    String url() {
        return server.url(name);
    }

    String appRole() {
        return appRole;
    }

    String appPassword() {
        return appPassword;
    }

    PostgresLedgerConfig owner() {
        return new PostgresLedgerConfig(url(), server.adminUser(), Optional.empty(), 2,
                PostgresLedgerConfig.DEFAULT_CONNECTION_TIMEOUT);
    }

    /** A connection as the admin, for loading data and for looking behind the API. */
    Connection admin() throws SQLException {
        return server.admin(name);
    }

    void execute(String... sql) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            for (String statement : sql) s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    long count(String sql, Object... params) {
        try (Connection c = admin(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) p.setObject(i + 1, params[i]);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    String text(String sql) {
        try (Connection c = admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private synchronized void drop() {
        if (dropped) return;
        dropped = true;
        try (Connection c = server.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("DROP ROLE IF EXISTS " + appRole);
        } catch (SQLException e) {
            System.err.println("could not drop database " + name + " / role " + appRole + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        drop();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException exiting) {
            // already exiting: the hook drops
        }
    }
}
