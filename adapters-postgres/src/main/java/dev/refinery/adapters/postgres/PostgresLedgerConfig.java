package dev.refinery.adapters.postgres;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the service reaches PostgreSQL: a JDBC URL (a multi-host URL with {@code targetServerType=primary}
 * works for an HA pair), a user and a password, which may come from a file so that it never sits in the
 * environment or in a config file. {@link #toString()} never shows the password.
 */
public record PostgresLedgerConfig(String url, String username, Optional<String> password, int maxPoolSize,
                                   Duration connectionTimeout, SessionLimits sessionLimits) {

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    public PostgresLedgerConfig {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the database URL must start with jdbc:postgresql:, got " + url);
        }
        if (username == null || username.isBlank()) throw new IllegalArgumentException("a database user is required");
        if (password == null) throw new IllegalArgumentException("password must not be null (use Optional.empty())");
        if (maxPoolSize < 1) throw new IllegalArgumentException("the pool needs at least one connection");
        if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("the connection timeout must be at least 250 ms (Hikari's minimum)");
        }
        if (sessionLimits == null) throw new IllegalArgumentException("session limits are required");
    }

    /** A config with the default {@link SessionLimits}. */
    public PostgresLedgerConfig(String url, String username, Optional<String> password, int maxPoolSize,
                                Duration connectionTimeout) {
        this(url, username, password, maxPoolSize, connectionTimeout, SessionLimits.DEFAULT);
    }

    public static PostgresLedgerConfig of(String url, String username, String password) {
        return new PostgresLedgerConfig(url, username, Optional.ofNullable(password), DEFAULT_POOL_SIZE,
                DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * Reads {@code url}, {@code username}, {@code password-file} or {@code password}, {@code pool.max-size}
     * and {@code pool.connection-timeout} (a duration such as {@code PT5S}) from a Helidon config node.
     */
    public static PostgresLedgerConfig from(Config db) {
        String url = db.get("url").asString().orElseThrow(() -> new IllegalArgumentException(
                "database config " + db.key() + " has no url"));
        String user = db.get("username").asString().orElseThrow(() -> new IllegalArgumentException(
                "database config " + db.key() + " has no username"));
        // a file wins over an inline password: secrets belong in files
        Optional<String> password = db.get("password-file").asString().asOptional()
                .map(f -> readPasswordFile(Path.of(f)))
                .or(() -> db.get("password").asString().asOptional());
        int pool = db.get("pool.max-size").asInt().orElse(DEFAULT_POOL_SIZE);
        Duration timeout = db.get("pool.connection-timeout").as(Duration.class).orElse(DEFAULT_CONNECTION_TIMEOUT);
        return new PostgresLedgerConfig(url, user, password, pool, timeout);
    }

    /**
     * Reads {@code PREFIX_URL}, {@code PREFIX_USER}, and {@code PREFIX_PASSWORD_FILE} or {@code PREFIX_PASSWORD}
     * (e.g. {@code REFINERY_DB_URL}, {@code REFINERY_DB_PASSWORD_FILE}) from an environment.
     */
    public static Optional<PostgresLedgerConfig> fromEnvironment(Map<String, String> env, String prefix) {
        String url = env.get(prefix + "_URL");
        if (url == null || url.isBlank()) return Optional.empty();
        String user = Optional.ofNullable(env.get(prefix + "_USER")).orElseThrow(() -> new IllegalArgumentException(
                prefix + "_URL is set but " + prefix + "_USER is not"));
        Optional<String> password = Optional.ofNullable(env.get(prefix + "_PASSWORD_FILE"))
                .map(f -> readPasswordFile(Path.of(f)))
                .or(() -> Optional.ofNullable(env.get(prefix + "_PASSWORD")));
        return Optional.of(new PostgresLedgerConfig(url, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT));
    }

    /** The file's content without a trailing line break (files written by {@code echo} or secret mounts). */
    public static String readPasswordFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            // the path is not secret; the content is never part of a message
            throw new UncheckedIOException("cannot read the database password file " + file, e);
        }
    }

    public PostgresLedgerConfig withUser(String user, Optional<String> secret) {
        return new PostgresLedgerConfig(url, user, secret, maxPoolSize, connectionTimeout, sessionLimits);
    }

    public PostgresLedgerConfig withPoolSize(int size) {
        return new PostgresLedgerConfig(url, username, password, size, connectionTimeout, sessionLimits);
    }

    public PostgresLedgerConfig withSessionLimits(SessionLimits limits) {
        return new PostgresLedgerConfig(url, username, password, maxPoolSize, connectionTimeout, limits);
    }

    private static final java.util.concurrent.atomic.AtomicInteger POOLS = new java.util.concurrent.atomic.AtomicInteger();

    /** A Helidon DbClient over a Hikari pool for this database, with a pool name unique in this JVM. */
    public DbClient createDbClient() {
        return createDbClient("refinery-ledger-" + POOLS.incrementAndGet());
    }

    /**
     * A Helidon DbClient over a Hikari pool named {@code poolName}; the pool publishes its state as the
     * MBean {@code com.zaxxer.hikari:type=Pool (poolName)} (active, idle, total, waiting connections).
     */
    public DbClient createDbClient(String poolName) {
        return createDbClient(poolName, false);
    }

    /**
     * A Helidon DbClient over a pool of read-only connections whose transactions are REPEATABLE READ (set once per
     * connection, when the pool opens it), for {@link PostgresVibeLedger#withReadPool}: a read then needs no
     * statement of its own to set its transaction up (pgjdbc sends {@code BEGIN READ ONLY} with its first query).
     */
    public DbClient createReadOnlyDbClient() {
        return createReadOnlyDbClient("refinery-ledger-reads-" + POOLS.incrementAndGet());
    }

    /** {@link #createReadOnlyDbClient()} with the pool named {@code poolName}. */
    public DbClient createReadOnlyDbClient(String poolName) {
        return createDbClient(poolName, true);
    }

    private DbClient createDbClient(String poolName, boolean readOnly) {
        Map<String, String> settings = new HashMap<>();
        settings.put("source", "jdbc");
        settings.put("connection.url", url);
        settings.put("connection.username", username);
        password.ifPresent(p -> settings.put("connection.password", p));
        settings.put("connection.poolName", poolName);
        settings.put("connection.registerMbeans", "true");
        settings.put("connection.maximumPoolSize", Integer.toString(maxPoolSize));
        settings.put("connection.minimumIdle", "1");
        settings.put("connection.connectionTimeout", Long.toString(connectionTimeout.toMillis()));
        settings.put("connection.validationTimeout", Long.toString(Math.min(connectionTimeout.toMillis(), 2000)));
        settings.put("connection.connectionInitSql", sessionLimits.sessionSql());
        if (readOnly) {
            settings.put("connection.readOnly", "true");
            settings.put("connection.transactionIsolation", "TRANSACTION_REPEATABLE_READ");
        }
        // strings of any length are bound as strings (JSONB arrives as text with a cast)
        settings.put("parameters.use-string-binding", "false");
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(settings))
                .build();
        return DbClient.create(config);
    }

    /** The URL with any password parameter in it hidden, for messages and logs. */
    public String redactedUrl() {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "PostgresLedgerConfig[url=" + redactedUrl() + ", username=" + username + ", password="
                + (password.isPresent() ? "(set)" : "(none)") + ", maxPoolSize=" + maxPoolSize
                + ", connectionTimeout=" + connectionTimeout + ", sessionLimits=" + sessionLimits + "]";
    }
}
