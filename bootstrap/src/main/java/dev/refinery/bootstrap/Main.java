package dev.refinery.bootstrap;

import dev.refinery.adapters.postgres.PostgresLedgerConfig;
import dev.refinery.adapters.postgres.PostgresTokenStore;
import dev.refinery.adapters.postgres.PostgresVibeLedger;
import dev.refinery.application.auth.IssueTokenUseCase.IssueOutcome;
import dev.refinery.application.auth.IssueTokenUseCase.IssueToken;
import dev.refinery.application.auth.BranchPattern;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.StoredToken;
import dev.refinery.application.auth.TokenId;
import dev.refinery.application.auth.TokenService;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbClient;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** The {@code refinery} command. */
@Command(name = "refinery", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "An immutable, versioned, branchable ledger of JSON documents.",
        subcommands = {Main.Serve.class, Main.Migrate.class, Main.TokenCommand.class, Main.TemporalDevCommand.class,
                Main.VersionCommand.class,
                VerifyCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        // Helidon and others log through java.util.logging: one log, one format.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A person reads this: the reason, not a stack trace.
            commandLine.getErr().println("refinery: " + reason(e));
            return 1;
        });
        return cli;
    }

    private static String reason(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !s.toString().contains(c.getMessage())) s.append(": ").append(c.getMessage());
        }
        return s.toString();
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Options every command that reads the configuration shares. */
    static class ConfigOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "A YAML file overriding application.yaml.")
        Path configFile;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Where the embedded PostgreSQL keeps its data (REFINERY_DATA_DIR; default ./refinery-data).")
        Path dataDir;

        Map<String, String> overrides() {
            Map<String, String> o = new LinkedHashMap<>();
            if (dataDir != null) o.put("refinery.data-dir", dataDir.toString());
            return o;
        }

        Settings settings(Map<String, String> more) {
            Map<String, String> o = overrides();
            o.putAll(more);
            return Settings.load(Optional.ofNullable(configFile), System.getenv(), o);
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run Refinery: HTTP API on the embedded PostgreSQL unless REFINERY_DB_URL names one.")
    static final class Serve implements Callable<Integer> {
        /** How long a serve whose embedded PostgreSQL is gone for good may take to stop before it halts. */
        static final Duration EXIT_GRACE = Duration.ofSeconds(30);

        @CommandLine.Mixin
        ConfigOptions config = new ConfigOptions();

        @Option(names = "--port", description = "HTTP port (REFINERY_HTTP_PORT; default 8080; 0 picks a free one).")
        Integer port;

        @Option(names = "--host", description = "HTTP host (REFINERY_HTTP_HOST; default 127.0.0.1).")
        String host;

        @Option(names = "--auth", paramLabel = "MODE", description = "none or token (REFINERY_AUTH_MODE; default none).")
        String auth;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> o = new LinkedHashMap<>();
            if (port != null) o.put("refinery.http.port", port.toString());
            if (host != null) o.put("refinery.http.host", host);
            if (auth != null) o.put("refinery.auth.mode", auth);
            CountDownLatch stopped = new CountDownLatch(1);
            // its embedded PostgreSQL died and would not start again: exit non-zero, for a supervisor to act
            java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
            RefineryServer server = RefineryServer.start(config.settings(o), EmbeddedDatabase.Supervision.giveUpWith(
                    reason -> {
                        failed.set(true);
                        // the exit must not wait on a graceful close that hangs without its database
                        Thread.ofPlatform().daemon().name("refinery-exit-watchdog").start(() -> {
                            try {
                                Thread.sleep(EXIT_GRACE.toMillis());
                            } catch (InterruptedException e) {
                                return;
                            }
                            System.err.println("refinery: stopping took longer than " + EXIT_GRACE + ": exiting 1 now");
                            Runtime.getRuntime().halt(1);
                        });
                        stopped.countDown();
                    }));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "refinery-shutdown"));
            stopped.await();
            return failed.get() ? 1 : 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Apply the database migrations as the database's owner (REFINERY_DB_URL, REFINERY_DB_USER,",
                    "REFINERY_DB_PASSWORD or REFINERY_DB_PASSWORD_FILE), and with --app-role create the service's",
                    "least-privileged role and grant it what it needs. Without REFINERY_DB_URL: the embedded database."})
    static final class Migrate implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions config = new ConfigOptions();

        @Option(names = "--app-role", paramLabel = "ROLE", description = "The role the service will connect as.")
        String appRole;

        @Option(names = "--app-password-file", paramLabel = "FILE", description = "A file holding that role's password.")
        Path appPasswordFile;

        @Override
        public Integer call() {
            Settings settings = config.settings(Map.of());
            if (settings.embeddedDatabase()) {
                try (Database db = Database.open(settings)) {
                    System.out.println("the embedded database is migrated: " + db.description());
                }
                return 0;
            }
            PostgresLedgerConfig owner = new PostgresLedgerConfig(settings.dbUrl().orElseThrow(), settings.dbUser(),
                    settings.dbPassword(), 2, Duration.ofSeconds(5));
            Optional<String> password = Optional.ofNullable(appPasswordFile).map(PostgresLedgerConfig::readPasswordFile);
            int applied = Database.migrate(owner, Optional.ofNullable(appRole), password, settings.sessionLimits());
            System.out.println("applied " + applied + " migration(s) to " + owner.redactedUrl()
                    + (appRole == null ? "" : "; role " + appRole + " has the service's privileges"));
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
            subcommands = {TokenCommand.Create.class, TokenList.class, TokenRevoke.class})
    static final class TokenCommand implements Runnable {
        @Override
        public void run() {
            CommandLine.usage(this, System.out);
        }

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Issue a bearer token for a ROLE vibe; it is printed once and stored only as a hash.")
        static final class Create implements Callable<Integer> {
            @CommandLine.Mixin
            ConfigOptions config = new ConfigOptions();

            @Option(names = "--role", required = true, paramLabel = "REF", description = "e.g. main@roles/root?1")
            String role;

            @Option(names = "--scopes", paramLabel = "LIST", split = ",", defaultValue = "read",
                    description = "read, write, admin (comma-separated; default read).")
            String[] scopes;

            @Option(names = "--label", description = "What the token is for.")
            String label = "";

            @Option(names = "--branches", paramLabel = "PATTERNS", split = ",",
                    description = "The only branches it may write, e.g. 'feature/*' (* matches anything; default: all).")
            String[] branches = {};

            @Option(names = "--expires-in", paramLabel = "DURATION",
                    description = "ISO-8601, e.g. P30D or PT12H (default: never; revoke it instead).")
            Duration expiresIn;

            @Override
            public Integer call() {
                Settings settings = config.settings(Map.of());
                Set<Scope> parsed = Arrays.stream(scopes).map(String::strip).map(Scope::parse)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
                try (Database database = Database.open(settings); DbClient db = database.service().createDbClient()) {
                    Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
                    TokenService tokens = new TokenService(new PostgresTokenStore(db), new PostgresVibeLedger(db), clock);
                    IssueOutcome outcome = tokens.issue(new IssueToken(VibeRef.parse(role), parsed, label,
                            Arrays.stream(branches).map(String::strip).map(BranchPattern::parse).toList(),
                            Optional.ofNullable(expiresIn)));
                    PrintWriter out = new PrintWriter(System.out, true);
                    return switch (outcome) {
                        case IssueOutcome.Issued issued -> {
                            out.println(issued.token());
                            System.err.println("token " + issued.stored().id() + " issued"
                                    + issued.stored().expiresAt().map(e -> ", expires " + e).orElse(""));
                            yield 0;
                        }
                        case IssueOutcome.RoleNotFound r -> {
                            System.err.println("refinery: no vibe " + r.role());
                            yield 1;
                        }
                        case IssueOutcome.NotARole n -> {
                            System.err.println("refinery: " + n.role() + " is a " + n.kind() + ", not a ROLE");
                            yield 1;
                        }
                    };
                }
            }
        }
    }

    /** Runs {@code work} with a token service over the configured database. */
    private static int withTokens(ConfigOptions config, java.util.function.ToIntFunction<TokenService> work) {
        Settings settings = config.settings(Map.of());
        try (Database database = Database.open(settings); DbClient db = database.service().createDbClient()) {
            Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
            return work.applyAsInt(new TokenService(new PostgresTokenStore(db), new PostgresVibeLedger(db), clock));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the tokens, oldest first: id, role, scopes, branches, issued, expires, revoked, label. Never a secret.")
    static final class TokenList implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() {
            return withTokens(config, tokens -> {
                PrintWriter out = new PrintWriter(System.out, true);
                String row = "%-16s  %-24s  %-16s  %-16s  %-20s  %-20s  %-20s  %s%n";
                out.printf(row, "ID", "ROLE", "SCOPES", "BRANCHES", "ISSUED", "EXPIRES", "REVOKED", "LABEL");
                for (StoredToken t : tokens.list()) {
                    out.printf(row, t.id(), t.principal().role(),
                            t.principal().scopes().stream().sorted().map(Scope::wireName).collect(Collectors.joining(",")),
                            t.principal().branches().stream().map(BranchPattern::text).collect(Collectors.joining(",")),
                            seconds(t.createdAt()), t.expiresAt().map(Main::seconds).orElse("-"),
                            t.revokedAt().map(Main::seconds).orElse("-"), t.label());
                }
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token (by its id from 'token list'): refused at once by every server on this database.")
    static final class TokenRevoke implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions config = new ConfigOptions();

        @CommandLine.Parameters(paramLabel = "ID", description = "The token's id, as 'token list' shows it.")
        String id;

        @Override
        public Integer call() {
            TokenId tokenId = TokenId.parse(id);
            return withTokens(config, tokens -> {
                Optional<StoredToken> revoked = tokens.revoke(tokenId);
                if (revoked.isEmpty()) {
                    System.err.println("refinery: no token has id " + tokenId);
                    return 1;
                }
                System.out.println("revoked " + tokenId + " at " + seconds(revoked.get().revokedAt().orElseThrow()));
                return 0;
            });
        }
    }

    private static String seconds(java.time.Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    @Command(name = "temporal-dev", mixinStandardHelpOptions = true,
            description = "Run the embedded Temporal test server alone, on 127.0.0.1 (it keeps nothing across restarts).")
    static final class TemporalDevCommand implements Callable<Integer> {
        @Option(names = "--port", description = "gRPC port (default 7233).")
        int port = dev.refinery.adapters.temporal.TemporalDev.DEFAULT_PORT;

        @Override
        public Integer call() throws InterruptedException {
            dev.refinery.adapters.temporal.TemporalDev.serve(port);
            return 0;
        }
    }

    @Command(name = "version", description = "Print the version.")
    static final class VersionCommand implements Runnable {
        @Override
        public void run() {
            System.out.println("refinery " + Version.text());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        static String text() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v != null ? v : "0.1.0-SNAPSHOT";
        }

        @Override
        public String[] getVersion() {
            return new String[]{"refinery " + text()};
        }
    }
}
