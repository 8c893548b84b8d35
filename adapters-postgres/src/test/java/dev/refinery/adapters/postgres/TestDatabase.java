package dev.refinery.adapters.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A migrated PostgreSQL database of its own for a test, on the server {@link TestPostgres} chose for this JVM
 * ({@code REFINERY_TEST_DB_URL}, else Testcontainers where Docker runs, else an embedded PostgreSQL).
 *
 * <p>Per test JVM: one template database is migrated once and one application role (random name,
 * the service's privileges) is created; every {@link #create()} copies the template (fast), and
 * {@link #close()} drops the copy. The template and the role are dropped when the JVM exits.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String URL_VARIABLE = TestPostgres.URL_VARIABLE;

    private final String name;
    private final Server server;

    private TestDatabase(String name, Server server) {
        this.name = name;
        this.server = server;
    }

    /** A fresh database with the ledger's schema, genesis included. */
    public static TestDatabase create() {
        Server server = Server.get();
        String name = "refinery_test_" + suffix();
        server.admin("CREATE DATABASE " + name + " TEMPLATE " + server.template);
        synchronized (server.created) {
            server.created.add(name);
        }
        server.admin("GRANT CONNECT ON DATABASE " + name + " TO " + server.appRole);
        return new TestDatabase(name, server);
    }

    public String name() {
        return name;
    }

    /** The schema owner (the admin login of the server). */
    public PostgresLedgerConfig owner() {
        return server.config(name, server.adminUser, server.adminPassword);
    }

    /** The service's least-privileged role (see {@link PostgresMigrations#grantApplicationRole}). */
    public PostgresLedgerConfig application() {
        return server.config(name, server.appRole, Optional.of(server.appPassword));
    }

    public String applicationRole() {
        return server.appRole;
    }

    /** Runs statements as the admin on this database (for tests that look behind the port). */
    public void execute(String... sql) {
        try (Connection c = connect(owner()); Statement s = c.createStatement()) {
            for (String statement : sql) s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Ends every backend of the application role on this database, as a crash or failover would. */
    /**
     * {@code count} vibes {@code main@PREFIX/i?1} (i from 1), written through the database in one statement each
     * for refinements and vibes (as the benchmarks bulk-load), vibe i by refinement {@code firstRefinement + i}.
     */
    public void bulkVibes(String prefix, int count, long firstRefinement) {
        execute("""
                INSERT INTO refinements (id, branch, author_ref, kind, target_refs, instruction_refs, budget_refs,
                                         output_refs, message, created_at)
                SELECT %2$d + i, 'main', 'main@roles/root?1', 'refine', '{}', '{}', '{}',
                       ARRAY['main@%1$s/' || i || '?1'], 'bulk', now()
                FROM generate_series(1, %3$d) i""".formatted(prefix, firstRefinement, count), """
                INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, prototype_ref, refinement_id,
                                   context, schema, solution, schema_refs, digest, created_at)
                SELECT 'main@%1$s/' || i || '?1', '%1$s/' || i, 'main', 1, 'RECORD', '{}', 'main@roles/root?1', NULL,
                       %2$d + i, '{}', '{}', '{}', NULL,
                       'sha256:' || encode(sha256(convert_to('%1$s/' || i, 'UTF8')), 'hex'), now()
                FROM generate_series(1, %3$d) i""".formatted(prefix, firstRefinement, count));
    }

    public int terminateApplicationBackends() {
        try (Connection c = server.adminConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND usename = ?")) {
            p.setString(1, name);
            p.setString(2, server.appRole);
            try (var rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A plain JDBC connection with the given login (no pool). */
    public static Connection connect(PostgresLedgerConfig config) throws SQLException {
        var props = new java.util.Properties();
        props.setProperty("user", config.username());
        config.password().ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(config.url(), props);
    }

    @Override
    public void close() {
        server.admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        synchronized (server.created) {
            server.created.remove(name);
        }
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The server of this test JVM, its template database and its application role. */
    private static final class Server {
        private static Server instance;

        final String baseUrl;      // jdbc:postgresql://hosts/  (no database, no credentials)
        final String parameters;   // the URL's other parameters, "" or "?a=b&c=d"
        final String adminDatabase;
        final String adminUser;
        final Optional<String> adminPassword;
        final String template = "refinery_test_template_" + suffix();
        final String appRole = "refinery_app_" + suffix();
        final String appPassword = UUID.randomUUID().toString();
        final java.util.Set<String> created = new java.util.LinkedHashSet<>();
        private boolean templateCreated;
        private boolean roleCreated;

        static synchronized Server get() {
            if (instance == null) {
                TestPostgres.Chosen server = TestPostgres.chosen();
                instance = new Server(server.adminUrl());
                Server created = instance;
                // one hook, in order: drop what this JVM made, then stop a server this JVM started
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    created.dropEverything();
                    server.stop().run();
                }, "test-database-cleanup"));
                instance.prepare();
            }
            return instance;
        }

        private Server(String adminUrl) {
            if (!adminUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalStateException(URL_VARIABLE + " must be a jdbc:postgresql:// URL");
            }
            int hostsEnd = adminUrl.indexOf('/', "jdbc:postgresql://".length());
            int query = adminUrl.indexOf('?');
            if (hostsEnd < 0) throw new IllegalStateException(URL_VARIABLE + " must name a database");
            baseUrl = adminUrl.substring(0, hostsEnd + 1);
            adminDatabase = adminUrl.substring(hostsEnd + 1, query < 0 ? adminUrl.length() : query);
            Map<String, String> params = new LinkedHashMap<>();
            if (query >= 0) {
                for (String pair : adminUrl.substring(query + 1).split("&")) {
                    if (pair.isEmpty()) continue;
                    int eq = pair.indexOf('=');
                    params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
                }
            }
            adminUser = Optional.ofNullable(params.remove("user")).orElse("postgres");
            adminPassword = Optional.ofNullable(params.remove("password"));
            StringBuilder rest = new StringBuilder();
            params.forEach((k, v) -> rest.append(rest.isEmpty() ? '?' : '&').append(k).append('=').append(v));
            parameters = rest.toString();
        }

        PostgresLedgerConfig config(String database, String user, Optional<String> password) {
            return new PostgresLedgerConfig(baseUrl + database + parameters, user, password, 8,
                    PostgresLedgerConfig.DEFAULT_CONNECTION_TIMEOUT);
        }

        private void prepare() {
            admin("CREATE DATABASE " + template);
            templateCreated = true;
            PostgresMigrations migrations = new PostgresMigrations(config(template, adminUser, adminPassword));
            migrations.migrate();
            migrations.createApplicationRole(appRole, Optional.of(appPassword));
            roleCreated = true;
            migrations.grantApplicationRole(appRole);
        }

        Connection adminConnection() throws SQLException {
            var props = new java.util.Properties();
            props.setProperty("user", adminUser);
            adminPassword.ifPresent(p -> props.setProperty("password", p));
            return DriverManager.getConnection(baseUrl + adminDatabase + parameters, props);
        }

        void admin(String sql) {
            try (Connection c = adminConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        private void dropEverything() {
            // the copies, the template, then the role that had privileges in them
            List<String> steps = new ArrayList<>();
            synchronized (created) {
                created.forEach(db -> steps.add("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)"));
            }
            if (templateCreated) steps.add("DROP DATABASE IF EXISTS " + template + " WITH (FORCE)");
            if (roleCreated) steps.add("DROP ROLE IF EXISTS " + appRole);
            for (String step : steps) {
                try {
                    admin(step);
                } catch (RuntimeException e) {
                    System.err.println("test database cleanup: " + e.getMessage());
                }
            }
        }
    }
}
