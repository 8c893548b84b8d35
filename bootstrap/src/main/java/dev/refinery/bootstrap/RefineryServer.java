package dev.refinery.bootstrap;

import dev.refinery.adapters.http.AuthMode;
import dev.refinery.adapters.http.HttpSettings;
import dev.refinery.adapters.http.RefineryHttp;
import dev.refinery.adapters.postgres.PostgresLogSequencer;
import dev.refinery.adapters.postgres.PostgresLogStore;
import dev.refinery.adapters.postgres.PostgresTokenStore;
import dev.refinery.adapters.postgres.PostgresVibeLedger;
import dev.refinery.adapters.temporal.EmbeddedTemporal;
import dev.refinery.adapters.temporal.JdkHttpCapabilityClient;
import dev.refinery.adapters.temporal.RunPorts;
import dev.refinery.adapters.temporal.TemporalConnection;
import dev.refinery.adapters.temporal.TemporalProcessEngine;
import dev.refinery.adapters.temporal.TemporalWorkerHost;
import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.auth.TokenService;
import dev.refinery.application.branch.BranchService;
import dev.refinery.application.log.LogService;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.RunService;
import dev.refinery.application.process.StepService;
import dev.refinery.application.read.ReadService;
import dev.refinery.application.refine.MergeService;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.process.InternalActivities;
import dev.refinery.domain.process.RunLimits;
import dev.refinery.domain.log.NoteSigner;
import dev.refinery.domain.schema.SchemaResolver;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;

/**
 * The composition root: the only place that knows every adapter. It opens the database, starts (or
 * connects to) Temporal, wires the use cases by hand, resumes the runs a restart interrupted, and
 * serves it all over HTTP. Closing stops everything in reverse order.
 */
public final class RefineryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefineryServer.class);
    private static final String POOL_NAME = "refinery-ledger";
    /** The pool of read-only REPEATABLE READ connections that reads run on (PostgresVibeLedger.withReadPool). */
    private static final String READ_POOL_NAME = "refinery-ledger-reads";
    /** Refinements one log batch appends at most (a backlog is worked off batch after batch). */
    private static final int LOG_BATCH = 10_000;

    /** What was started, to be closed last-first. */
    private final Deque<AutoCloseable> started;
    private final WebServer server;
    private final Optional<EmbeddedTemporal> embeddedTemporal;
    private final ProcessService processes;

    private RefineryServer(Deque<AutoCloseable> started, WebServer server, Optional<EmbeddedTemporal> embeddedTemporal,
                           ProcessService processes) {
        this.started = started;
        this.server = server;
        this.embeddedTemporal = embeddedTemporal;
        this.processes = processes;
    }

    /** Starts everything; an embedded PostgreSQL that dies is started again, or else only logged. */
    public static RefineryServer start(Settings settings) {
        return start(settings, EmbeddedDatabase.Supervision.giveUpWith(reason -> { }));
    }

    /** @param supervision what to do when the embedded PostgreSQL dies and cannot be started again */
    static RefineryServer start(Settings settings, EmbeddedDatabase.Supervision supervision) {
        long startedAt = System.nanoTime();
        AuthMode authMode = AuthMode.parse(settings.authMode());
        HttpSettings.validate(settings.httpHost(), authMode);
        // before anything starts: a host name or origin that is none is refused here
        HttpSettings httpSettings = new HttpSettings(settings.maxBodyBytes(), settings.maxJsonDepth(),
                settings.maxOutputs(), authMode, settings.allowedHosts(), settings.allowedOrigins(),
                settings.maxConcurrentRequests(), settings.maxConnections());
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Database database = Database.open(settings, supervision);
            started.push(database);
            DbClient db = database.service().createDbClient(POOL_NAME);
            started.push(db);
            DbClient reads = database.service().createReadOnlyDbClient(READ_POOL_NAME);
            started.push(reads);
            // PostgreSQL keeps microseconds: a clock that ticks in microseconds reads back what it wrote.
            Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
            VibeLedger ledger = PostgresVibeLedger.withReadPool(db, reads);
            checkMigrated(ledger, database);
            NoteSigner signer = logSigner(settings);
            PostgresLogSequencer sequencer = new PostgresLogSequencer(database.service(), settings.logOrigin(), signer,
                    LOG_BATCH);
            sequencer.start(settings.logInterval());
            started.push(sequencer);

            SchemaResolver resolver = new SchemaResolver(
                    new SchemaResolver.Limits(settings.maxInlinedNodes(), settings.maxInlineDepth(), settings.maxInlinedBytes()));
            SchemaValidator validator = new SchemaValidator(settings.schemaCacheBytes());
            BranchWritePolicy branchWrites = new BranchWritePolicy(settings.protectedBranches());
            InternalActivities internalActivities = TemporalWorkerHost.internalActivities(settings.taskQueue());
            RefineService refine = new RefineService(ledger, clock, resolver, validator, settings.maxOutputs(),
                    settings.dryRunImpactLimit(), branchWrites, internalActivities);

            Optional<EmbeddedTemporal> embedded = settings.temporalTarget().isPresent() ? Optional.empty()
                    : Optional.of(EmbeddedTemporal.start(settings.temporalPort()));
            embedded.ifPresent(started::push);
            String target = settings.temporalTarget().orElseGet(() -> embedded.orElseThrow().target());
            TemporalConnection temporal = TemporalConnection.connect(target, settings.temporalNamespace(), embedded.isEmpty());
            started.push(temporal);
            RunLimits runLimits = new RunLimits(settings.maxStepInputBytes(), settings.maxStepOutputBytes(),
                    settings.maxRunDocumentBytes());
            RunService runs = new RunService(ledger, refine, clock, runLimits);
            StepService steps = new StepService(ledger, resolver, validator, new JdkHttpCapabilityClient(
                    settings.httpAllow(), Duration.ofSeconds(5), settings.httpTimeout(), settings.httpMaxResponseBytes()),
                    runLimits);
            started.push(TemporalWorkerHost.start(temporal.client(), settings.taskQueue(), RunPorts.of(runs, steps)));
            ProcessService processes = new ProcessService(ledger,
                    new TemporalProcessEngine(temporal.client(), settings.taskQueue()), clock, resolver, validator,
                    UUID::randomUUID, branchWrites, internalActivities);

            RefineryHttp http = RefineryHttp.builder()
                    .settings(httpSettings)
                    .refine(refine)
                    .merge(new MergeService(ledger, clock, resolver, validator, branchWrites))
                    .reads(new ReadService(ledger, clock, resolver))
                    .branches(new BranchService(ledger, clock, branchWrites))
                    .processes(processes)
                    .tokens(new TokenService(new PostgresTokenStore(db), ledger, clock))
                    .log(new LogService(new PostgresLogStore(reads), signer.verifier()))
                    // not while the embedded PostgreSQL is known to be down: the read would wait out the pool's timeout
                    .readinessCheck("database", () -> database.running()
                            && ledger.read(tx -> tx.branch(BranchName.MAIN).isPresent()))
                    .readinessCheck("embedded-postgres", database::running)
                    .build();
            PoolGauges.register(http.meterRegistry(), POOL_NAME, "writes");
            PoolGauges.register(http.meterRegistry(), READ_POOL_NAME, "reads");
            WebServer server = WebServer.builder()
                    .host(settings.httpHost())
                    .port(settings.httpPort())
                    .update(http::configure)
                    .build()
                    .start();
            started.push(server::stop);

            int resumed = processes.resumeRunning();
            LOG.info("Refinery ready on http://{}:{} in {} ms (auth {}; database: {}, pool {} for writes and {} for reads; "
                            + "Temporal: {}{})",
                    settings.httpHost(), server.port(), (System.nanoTime() - startedAt) / 1_000_000, authMode.text(),
                    database.description(), settings.dbPoolSize(), settings.dbPoolSize(), embedded.map(e -> "embedded on " + e.target()).orElse(target),
                    resumed > 0 ? "; resumed " + resumed + " run(s)" : "");
            return new RefineryServer(started, server, embedded, processes);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /** The configured key file, else one generated in the data folder (fine for one instance; several share a file). */
    static NoteSigner logSigner(Settings settings) {
        if (settings.logSigningKeyFile().isPresent()) {
            return LogSigningKey.read(settings.logSigningKeyFile().get(), settings.logOrigin());
        }
        if (!settings.embeddedDatabase()) {
            LOG.warn("refinery.log.signing-key-file is not set: checkpoints are signed with a key kept in {}; "
                    + "instances sharing a database must share one key file", settings.logSigningKey());
        }
        return LogSigningKey.readOrCreate(settings.logSigningKey(), settings.logOrigin());
    }

    private static void checkMigrated(VibeLedger ledger, Database database) {
        try {
            ledger.read(tx -> tx.branch(BranchName.MAIN)).orElseThrow();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the database (" + database.description() + ") is not ready for Refinery: "
                    + "run 'refinery migrate' as its owner first (" + e.getMessage() + ")", e);
        }
    }

    public int port() {
        return server.port();
    }

    /** host:port of the embedded Temporal server, where outside workers connect (empty with a cluster). */
    public Optional<String> embeddedTemporalTarget() {
        return embeddedTemporal.map(EmbeddedTemporal::target);
    }

    ProcessService processes() {
        return processes;
    }

    @Override
    public void close() {
        LOG.info("Refinery stopping");
        closeAll(started);
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", next, e.getMessage());
            }
        }
    }
}
