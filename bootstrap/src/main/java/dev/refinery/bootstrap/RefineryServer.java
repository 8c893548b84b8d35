package dev.refinery.bootstrap;

import dev.refinery.adapters.http.AuthMode;
import dev.refinery.adapters.http.HttpSettings;
import dev.refinery.adapters.http.RefineryHttp;
import dev.refinery.adapters.postgres.PostgresTokenStore;
import dev.refinery.adapters.postgres.PostgresVibeLedger;
import dev.refinery.application.auth.TokenService;
import dev.refinery.application.branch.BranchService;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.read.ReadService;
import dev.refinery.application.refine.MergeService;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.schema.SchemaResolver;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The composition root: the only place that knows every adapter. It opens the database, wires the
 * use cases over the PostgreSQL ledger by hand, and serves them over HTTP.
 */
public final class RefineryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefineryServer.class);

    private final Database database;
    private final DbClient db;
    private final WebServer server;

    private RefineryServer(Database database, DbClient db, WebServer server) {
        this.database = database;
        this.db = db;
        this.server = server;
    }

    public static RefineryServer start(Settings settings) {
        long started = System.nanoTime();
        AuthMode authMode = AuthMode.parse(settings.authMode());
        HttpSettings.validate(settings.httpHost(), authMode);
        Database database = Database.open(settings);
        DbClient db = null;
        try {
            db = database.service().createDbClient();
            // PostgreSQL keeps microseconds: a clock that ticks in microseconds reads back what it wrote.
            Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
            VibeLedger ledger = new PostgresVibeLedger(db);
            checkMigrated(ledger, database);
            SchemaResolver resolver = new SchemaResolver(
                    new SchemaResolver.Limits(settings.maxInlinedNodes(), settings.maxInlineDepth()));
            SchemaValidator validator = new SchemaValidator();
            ReadService reads = new ReadService(ledger, clock, resolver);
            RefineryHttp http = RefineryHttp.builder()
                    .settings(new HttpSettings(settings.maxBodyBytes(), settings.maxJsonDepth(), settings.maxOutputs(),
                            authMode))
                    .refine(new RefineService(ledger, clock, resolver, validator, settings.maxOutputs()))
                    .merge(new MergeService(ledger, clock, resolver, validator))
                    .reads(reads)
                    .branches(new BranchService(ledger, clock))
                    .authenticator(new TokenService(new PostgresTokenStore(db), ledger, clock))
                    .readinessCheck("database", () -> ledger.read(tx -> tx.branch(BranchName.MAIN).isPresent()))
                    .build();
            WebServer server = WebServer.builder()
                    .host(settings.httpHost())
                    .port(settings.httpPort())
                    .update(http::configure)
                    .build()
                    .start();
            LOG.info("Refinery ready on http://{}:{} in {} ms (auth {}, database: {})", settings.httpHost(),
                    server.port(), (System.nanoTime() - started) / 1_000_000, authMode.text(), database.description());
            return new RefineryServer(database, db, server);
        } catch (RuntimeException e) {
            if (db != null) db.close();
            database.close();
            throw e;
        }
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

    @Override
    public void close() {
        LOG.info("Refinery stopping at {}", Instant.now());
        server.stop();
        db.close();
        database.close();
    }
}
