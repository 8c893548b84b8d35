package dev.refinery.adapters.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The schema's migrations (Flyway, versioned SQL in this module), run as the role that owns the
 * schema, and the privileges of the role the service runs as (seed 003, TR-DB-6): {@code SELECT,
 * INSERT} on the ledger, {@code UPDATE} only of {@code vibes.branches} (merges), of
 * {@code api_tokens.revoked_at} (revocations) and on {@code saga_instances}, nothing else, and no {@code DELETE} anywhere.
 */
public final class PostgresMigrations {
    public static final String LOCATION = "classpath:dev/refinery/adapters/postgres/db";
    public static final String DEFAULT_APPLICATION_ROLE = "refinery_app";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresMigrations.class);
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final List<String> LEDGER_TABLES =
            List.of("branches", "refinements", "vibes", "vibe_visibility", "vibe_refs", "api_tokens",
                    "log_leaves", "log_nodes", "log_checkpoints");

    private final PostgresLedgerConfig owner;

    public PostgresMigrations(PostgresLedgerConfig owner) {
        this.owner = owner;
    }

    /** Applies the pending migrations; returns how many were applied. */
    public int migrate() {
        MigrateResult result = Flyway.configure()
                .dataSource(owner.url(), owner.username(), owner.password().orElse(null))
                .locations(LOCATION)
                .placeholderReplacement(false)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }

    /** Creates a login role for the service when none of that name exists (needs CREATEROLE). */
    public void createApplicationRole(String role, Optional<String> password) {
        checkRoleName(role);
        try (Connection c = connect(); PreparedStatement exists = c.prepareStatement(
                "SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            exists.setString(1, role);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) return;
            }
            // format() quotes on the server; only a SCRAM-SHA-256 verifier computed here travels, never the
            // password: no statement log, pg_stat_activity or server error can show it
            String create;
            try (PreparedStatement format = c.prepareStatement(password.isPresent()
                    ? "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', ?::text, ?::text)"
                    : "SELECT format('CREATE ROLE %I LOGIN', ?::text)")) {
                format.setString(1, role);
                if (password.isPresent()) format.setString(2, scramVerifier(password.get()));
                try (ResultSet rs = format.executeQuery()) {
                    rs.next();
                    create = rs.getString(1);
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute(create);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the application role " + role + ": " + e.getMessage(), e);
        }
    }

    /** What PostgreSQL stores for a password (RFC 5802/7677 SCRAM-SHA-256, 4096 iterations, a random salt). */
    public static String scramVerifier(String password) {
        return org.postgresql.util.PasswordUtil.encodeScramSha256(password.toCharArray());
    }

    /** {@link #grantApplicationRole(String, SessionLimits)} with the default limits. */
    public void grantApplicationRole(String role) {
        grantApplicationRole(role, SessionLimits.DEFAULT);
    }

    /**
     * Grants the service's role exactly what it needs on the migrated schema and bounds its sessions with
     * {@code limits} (idempotent: run after every migrate). Setting a role's defaults needs CREATEROLE (or owning
     * the role); an owner without it gets a warning, and the service still sets the limits on its own connections.
     */
    public void grantApplicationRole(String role, SessionLimits limits) {
        checkRoleName(role);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            String schema;
            try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = rs.getString(1);
            }
            String r = quote(role);
            s.execute("GRANT CONNECT ON DATABASE " + quote(currentDatabase(s)) + " TO " + r);
            s.execute("GRANT USAGE ON SCHEMA " + quote(schema) + " TO " + r);
            for (String table : LEDGER_TABLES) {
                s.execute("REVOKE ALL ON " + table + " FROM " + r);
                s.execute("GRANT SELECT, INSERT ON " + table + " TO " + r);
            }
            s.execute("GRANT UPDATE (branches) ON vibes TO " + r);
            s.execute("GRANT UPDATE (revoked_at) ON api_tokens TO " + r);
            s.execute("GRANT USAGE ON SEQUENCE refinement_id_seq TO " + r);
            s.execute("REVOKE ALL ON saga_instances FROM " + r);
            s.execute("GRANT SELECT, INSERT, UPDATE ON saga_instances TO " + r);
            limitSessions(s, r, limits);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot grant the application role " + role + ": " + e.getMessage(), e);
        }
    }

    private static void limitSessions(Statement s, String quotedRole, SessionLimits limits) throws SQLException {
        try {
            for (SessionLimits.Setting setting : limits.settings()) {
                s.execute("ALTER ROLE " + quotedRole + " SET " + setting.name() + " = " + setting.millis());
            }
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) throw e;
            LOG.warn("cannot set the session limits of role {} ({}); the service sets them on its own connections",
                    quotedRole, e.getMessage());
        }
    }

    private static String currentDatabase(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", owner.username());
        owner.password().ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(owner.url(), props);
    }

    private static void checkRoleName(String role) {
        if (role == null || !ROLE_NAME.matcher(role).matches()) {
            throw new IllegalArgumentException("a role name is lower-case letters, digits and '_', got " + role);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
