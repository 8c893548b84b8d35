package dev.refinery.bootstrap;

import dev.refinery.adapters.temporal.HttpAllowList;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Refinery is configured with, read once at start-up. Precedence, highest first:
 * command-line options, the {@code REFINERY_*} environment variables named here, a {@code --config}
 * file, then {@code application.yaml}'s defaults.
 */
public record Settings(
        String httpHost,
        int httpPort,
        long maxBodyBytes,
        int maxJsonDepth,
        int maxOutputs,
        int dryRunImpactLimit,
        int maxInlinedNodes,
        int maxInlineDepth,
        String authMode,
        Path dataDir,
        Optional<String> dbUrl,
        String dbUser,
        Optional<String> dbPassword,
        int dbPoolSize,
        Optional<String> temporalTarget,
        int temporalPort,
        String temporalNamespace,
        String taskQueue,
        java.util.Set<String> httpAllow,
        java.time.Duration httpTimeout,
        long httpMaxResponseBytes,
        java.util.Set<String> allowedHosts,
        java.util.Set<String> allowedOrigins,
        int maxConcurrentRequests,
        int maxConnections,
        java.util.List<dev.refinery.application.auth.BranchPattern> protectedBranches,
        long maxStepInputBytes,
        long maxStepOutputBytes,
        long maxRunDocumentBytes,
        String logOrigin,
        Optional<Path> logSigningKeyFile,
        java.time.Duration logInterval,
        java.time.Duration dbStatementTimeout,
        java.time.Duration dbLockTimeout,
        java.time.Duration dbIdleInTransactionTimeout,
        long maxInlinedBytes,
        long schemaCacheBytes) {

    /** The environment variables Refinery reads, and the configuration key each one sets. */
    public static final Map<String, String> ENVIRONMENT = Map.ofEntries(
            Map.entry("REFINERY_HTTP_HOST", "refinery.http.host"),
            Map.entry("REFINERY_HTTP_PORT", "refinery.http.port"),
            Map.entry("REFINERY_AUTH_MODE", "refinery.auth.mode"),
            Map.entry("REFINERY_DATA_DIR", "refinery.data-dir"),
            Map.entry("REFINERY_DB_URL", "refinery.db.url"),
            Map.entry("REFINERY_DB_USER", "refinery.db.user"),
            Map.entry("REFINERY_DB_PASSWORD", "refinery.db.password"),
            Map.entry("REFINERY_DB_PASSWORD_FILE", "refinery.db.password-file"),
            Map.entry("REFINERY_DB_POOL_SIZE", "refinery.db.pool-size"),
            Map.entry("REFINERY_TEMPORAL_TARGET", "refinery.temporal.target"),
            Map.entry("REFINERY_TEMPORAL_PORT", "refinery.temporal.port"),
            Map.entry("REFINERY_TEMPORAL_NAMESPACE", "refinery.temporal.namespace"),
            Map.entry("REFINERY_TEMPORAL_TASK_QUEUE", "refinery.temporal.task-queue"),
            Map.entry("REFINERY_PROCESS_HTTP_ALLOW", "refinery.processes.http-allow"),
            Map.entry("REFINERY_HTTP_ALLOWED_HOSTS", "refinery.http.allowed-hosts"),
            Map.entry("REFINERY_HTTP_ALLOWED_ORIGINS", "refinery.http.allowed-origins"),
            Map.entry("REFINERY_AUTH_PROTECTED_BRANCHES", "refinery.auth.protected-branches"),
            Map.entry("REFINERY_LOG_ORIGIN", "refinery.log.origin"),
            Map.entry("REFINERY_LOG_SIGNING_KEY_FILE", "refinery.log.signing-key-file"));

    /** The secrets: each has a {@code _FILE} form, and taking one from the plain variable logs a warning. */
    static final java.util.List<String> SECRET_VARIABLES = java.util.List.of("REFINERY_DB_PASSWORD");

    public Settings {
        if (httpPort < 0 || httpPort > 65535) throw new IllegalArgumentException("refinery.http.port must be 0..65535");
        if (dryRunImpactLimit < 1) {
            throw new IllegalArgumentException("refinery.refine.dry-run-impact-limit must be at least 1");
        }
        HttpAllowList.parse(httpAllow); // refuses a former host or host:port entry, saying what to write instead
        if (maxStepInputBytes < 1 || maxStepOutputBytes < 1 || maxRunDocumentBytes < 1) {
            throw new IllegalArgumentException("refinery.processes.max-step-input-bytes, max-step-output-bytes and "
                    + "max-run-document-bytes must be at least 1");
        }
        if (!authMode.equals("none") && !authMode.equals("token")) {
            throw new IllegalArgumentException("refinery.auth.mode must be 'none' or 'token', not '" + authMode + "'");
        }
        if (logOrigin.isBlank() || logOrigin.contains("+") || logOrigin.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("refinery.log.origin must be one word without '+', e.g. example.com/log");
        }
        if (logInterval.isNegative() || logInterval.isZero()) {
            throw new IllegalArgumentException("refinery.log.interval must be positive, e.g. PT1S");
        }
    }

    /**
     * @param overrides configuration keys set on the command line (e.g. {@code refinery.http.port})
     */
    public static Settings load(Optional<Path> configFile, Map<String, String> environment, Map<String, String> overrides) {
        secretWarnings(environment).forEach(w -> org.slf4j.LoggerFactory.getLogger(Settings.class).warn(w));
        Map<String, String> fromEnvironment = new LinkedHashMap<>();
        ENVIRONMENT.forEach((variable, key) -> {
            String value = environment.get(variable);
            if (value != null) fromEnvironment.put(key, value);
        });
        var builder = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(overrides))
                .addSource(ConfigSources.create(fromEnvironment));
        configFile.ifPresent(f -> {
            if (!Files.isReadable(f)) throw new IllegalArgumentException("cannot read the config file " + f);
            builder.addSource(ConfigSources.file(f).build());
        });
        Config config = builder.addSource(ConfigSources.classpath("application.yaml").build()).build();
        Config r = config.get("refinery");
        return new Settings(
                r.get("http.host").asString().get(),
                r.get("http.port").asInt().get(),
                r.get("http.max-body-bytes").asLong().get(),
                r.get("http.max-json-depth").asInt().get(),
                r.get("refine.max-outputs").asInt().get(),
                r.get("refine.dry-run-impact-limit").asInt().get(),
                r.get("schema.max-inlined-nodes").asInt().get(),
                r.get("schema.max-inline-depth").asInt().get(),
                r.get("auth.mode").asString().get(),
                Path.of(r.get("data-dir").asString().get()).toAbsolutePath().normalize(),
                nonEmpty(r.get("db.url").asString().orElse("")),
                r.get("db.user").asString().orElse("refinery"),
                password(r.get("db.password").asString().orElse(""), r.get("db.password-file").asString().orElse("")),
                r.get("db.pool-size").asInt().get(),
                nonEmpty(r.get("temporal.target").asString().orElse("")),
                r.get("temporal.port").asInt().get(),
                r.get("temporal.namespace").asString().get(),
                r.get("temporal.task-queue").asString().get(),
                hosts(r.get("processes.http-allow").asString().orElse("")),
                java.time.Duration.parse(r.get("processes.http-timeout").asString().orElse("PT30S")),
                r.get("processes.http-max-response-bytes").asLong().orElse(1_000_000L),
                hosts(r.get("http.allowed-hosts").asString().orElse("")),
                hosts(r.get("http.allowed-origins").asString().orElse("")),
                r.get("http.max-concurrent-requests").asInt().get(),
                r.get("http.max-connections").asInt().get(),
                branchPatterns("refinery.auth.protected-branches", r.get("auth.protected-branches").asString().orElse("main")),
                r.get("processes.max-step-input-bytes").asLong().get(),
                r.get("processes.max-step-output-bytes").asLong().get(),
                r.get("processes.max-run-document-bytes").asLong().get(),
                r.get("log.origin").asString().orElse("refinery.local/log"),
                nonEmpty(r.get("log.signing-key-file").asString().orElse("")).map(Path::of),
                java.time.Duration.parse(r.get("log.interval").asString().orElse("PT1S")),
                java.time.Duration.parse(r.get("db.statement-timeout").asString().orElse("PT30S")),
                java.time.Duration.parse(r.get("db.lock-timeout").asString().orElse("PT10S")),
                java.time.Duration.parse(r.get("db.idle-in-transaction-timeout").asString().orElse("PT60S")),
                r.get("schema.max-inlined-bytes").asLong().orElse(16_777_216L),
                r.get("schema.cache-bytes").asLong().orElse(67_108_864L));
    }

    /** One warning for each secret set in a plain environment variable. */
    static java.util.List<String> secretWarnings(Map<String, String> environment) {
        return SECRET_VARIABLES.stream()
                .filter(v -> environment.get(v) != null && !environment.get(v).isEmpty())
                .map(v -> v + " is set in the environment, which child processes and /proc/PID/environ of this user "
                        + "can read: put the secret in a file (mode 0600) and name it in " + v + "_FILE instead")
                .toList();
    }

    /** A password file wins over a password: secrets belong in files, not in the environment. */
    static Optional<String> password(String password, String passwordFile) {
        if (!passwordFile.isEmpty()) {
            try {
                return Optional.of(Files.readString(Path.of(passwordFile)).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the password file " + passwordFile, e);
            }
        }
        return nonEmpty(password);
    }

    private static java.util.Set<String> hosts(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(h -> !h.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Comma-separated branch patterns ({@code main,release/*}); empty: none. */
    private static java.util.List<dev.refinery.application.auth.BranchPattern> branchPatterns(String key, String list) {
        try {
            return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(p -> !p.isEmpty())
                    .map(dev.refinery.application.auth.BranchPattern::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** How long one statement, one lock wait and one idle transaction of the service's sessions may last. */
    public dev.refinery.adapters.postgres.SessionLimits sessionLimits() {
        return new dev.refinery.adapters.postgres.SessionLimits(dbStatementTimeout, dbLockTimeout,
                dbIdleInTransactionTimeout);
    }

    /** Whether Refinery runs its own PostgreSQL in {@link #dataDir()}. */
    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    /** Where the log's signing key is: the configured file, else one generated in the data folder. */
    public Path logSigningKey() {
        return logSigningKeyFile.orElse(dataDir.resolve("log-signing-key.pem"));
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Settings[http=" + httpHost + ":" + httpPort + ", auth=" + authMode + ", db="
                + dbUrl.orElse("embedded in " + dataDir) + ", user=" + dbUser + ", password="
                + (dbPassword.isPresent() ? "***" : "none") + ", temporal=" + temporalTarget.orElse("embedded:" + temporalPort) + "]";
    }
}
