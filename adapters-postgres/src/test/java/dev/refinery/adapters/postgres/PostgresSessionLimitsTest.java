package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.refinery.application.port.LedgerTimeoutException;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every session of the application role is bounded: a statement, a lock wait and an idle transaction each end at a
 * limit, and the ledger says so with a {@link LedgerTimeoutException} (503 over HTTP), never waiting for ever behind
 * whoever holds a lock.
 */
class PostgresSessionLimitsTest {
    private static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);

    private TestDatabase db;

    @BeforeEach
    void start() {
        db = TestDatabase.create();
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void theApplicationRoleHasItsSessionLimitsWhoeverConnects() throws SQLException {
        // a plain connection of the role, not the service's pool: the limits are the role's own
        try (Connection c = TestDatabase.connect(db.application()); Statement s = c.createStatement()) {
            assertEquals("30s", show(s, "statement_timeout"));
            assertEquals("10s", show(s, "lock_timeout"));
            assertEquals("1min", show(s, "idle_in_transaction_session_timeout"));
        }
    }

    @Test
    void aWriteWaitingForALockPastTheLimitFailsAsATimeoutAndHoldsNothing() throws Exception {
        SessionLimits tight = new SessionLimits(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(60));
        PostgresVibeLedger ledger = PostgresVibeLedger.create(db.application().withPoolSize(2).withSessionLimits(tight));
        RefineService refine = new RefineService(ledger, Clock.systemUTC(), new SchemaResolver(), new SchemaValidator(), 10);
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (Connection blocker = TestDatabase.connect(db.owner()); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE refinements IN ACCESS EXCLUSIVE MODE");
            Future<Object> write = background.submit(() -> {
                try {
                    return write(refine, "limits/a");
                } catch (RuntimeException e) {
                    return e;
                }
            });
            // a hang guard only: the lock is held until the write has answered or this much time has passed
            Object outcome = write.get(60, TimeUnit.SECONDS);
            blocker.rollback();
            LedgerTimeoutException timeout = assertInstanceOf(LedgerTimeoutException.class, outcome);
            assertTrue(timeout.getMessage().contains("55P03"), timeout::getMessage);
            // the pool's connections are fine afterwards, and the write goes through
            assertInstanceOf(RefineOutcome.Written.class, write(refine, "limits/a"));
        } finally {
            background.shutdownNow();
            ledger.close();
        }
    }

    @Test
    void aStatementRunningPastTheLimitIsCancelledAsATimeout() {
        SessionLimits tight = new SessionLimits(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60));
        PostgresLedgerConfig config = db.application().withPoolSize(1).withSessionLimits(tight);
        // the pool's own limits, not the role's defaults (30 s, which pg_sleep(30) would also reach)
        try (var client = config.createDbClient()) {
            assertEquals("200ms", client.execute().query("SHOW statement_timeout").findFirst().orElseThrow()
                    .column(1).get(String.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        RuntimeException failure = assertInstanceOf(RuntimeException.class, runSleep(config));
        RuntimeException translated = SqlFailures.translate(failure);
        assertInstanceOf(LedgerTimeoutException.class, translated, failure::toString);
        assertTrue(translated.getMessage().contains("57014"), translated::getMessage);
    }

    private static Object runSleep(PostgresLedgerConfig config) {
        try (var client = config.createDbClient()) {
            try {
                return client.execute().query("SELECT pg_sleep(30)").count();
            } catch (RuntimeException e) {
                return e;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static RefineOutcome write(RefineService refine, String id) {
        var json = JsonNodeFactory.instance;
        VibeDraft draft = VibeDraft.of(new VibeId(id), Kind.RECORD, json.objectNode(), json.objectNode(), json.numberNode(1));
        return refine.refine(new RefineCommand(BranchName.MAIN, ROOT, "limits", Optional.empty(), List.of(), List.of(),
                List.of(), false, List.of(draft)));
    }
}
