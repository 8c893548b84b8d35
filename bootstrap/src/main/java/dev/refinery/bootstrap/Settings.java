package dev.refinery.bootstrap;

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
        long httpMaxResponseBytes) {

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
            Map.entry("REFINERY_PROCESS_HTTP_ALLOW", "refinery.processes.http-allow"));

    /** The secrets: each has a {@code _FILE} form, and taking one from the plain variable logs a warning. */
    static final java.util.List<String> SECRET_VARIABLES = java.util.List.of("REFINERY_DB_PASSWORD");

    public Settings {
        if (httpPort < 0 || httpPort > 65535) throw new IllegalArgumentException("refinery.http.port must be 0..65535");
        if (dryRunImpactLimit < 1) {
            throw new IllegalArgumentException("refinery.refine.dry-run-impact-limit must be at least 1");
        }
        if (!authMode.equals("none") && !authMode.equals("token")) {
            throw new IllegalArgumentException("refinery.auth.mode must be 'none' or 'token', not '" + authMode + "'");
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
                Path.of(r.get("data-dir").asString().get()),
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
                r.get("processes.http-max-response-bytes").asLong().orElse(1_000_000L));
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

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** Whether Refinery runs its own PostgreSQL in {@link #dataDir()}. */
    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Settings[http=" + httpHost + ":" + httpPort + ", auth=" + authMode + ", db="
                + dbUrl.orElse("embedded in " + dataDir) + ", user=" + dbUser + ", password="
                + (dbPassword.isPresent() ? "***" : "none") + ", temporal=" + temporalTarget.orElse("embedded:" + temporalPort) + "]";
    }
}
