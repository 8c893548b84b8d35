package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.port.LedgerUnavailableException;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the ledger fails: 503 with Retry-After when it is unreachable, a bare 500 for anything else. */
@ServerTest
class LedgerFailuresTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private final Api api;

    LedgerFailuresTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    @AfterEach
    void heal() {
        APP.ledger.heal();
    }

    @Test
    void anUnreachableLedgerAnswers503WithRetryAfter() {
        // given
        APP.ledger.failWith(() -> new LedgerUnavailableException("connection refused: db.internal:5432",
                new SQLException("FATAL: the database system is starting up")));

        // when
        Api.Reply reply = api.get("/v1/vibes/roles/root");

        // then
        JsonNode problem = reply.problem(503);
        assertEquals(Integer.toString(ErrorResponses.RETRY_AFTER_SECONDS), reply.header("Retry-After").orElseThrow());
        assertFalse(reply.body().contains("db.internal"), reply.body());
        assertFalse(reply.body().contains("FATAL"), problem::toString);
    }

    @Test
    void anUnexpectedFailureAnswers500WithoutItsCauseOrSql() {
        // given
        APP.ledger.failWith(() -> new IllegalStateException("SELECT secret FROM vibes WHERE id = 'x'",
                new SQLException("ERROR: relation \"vibes\" does not exist")));

        // when
        Api.Reply reply = api.post("/v1/refinements",
                "{\"branch\": \"main\", \"vibes\": [{\"id\": \"x\", \"kind\": \"RECORD\"}]}");

        // then
        JsonNode problem = reply.problem(500);
        assertFalse(reply.body().contains("SELECT"), reply.body());
        assertFalse(reply.body().contains("relation"), reply.body());
        assertFalse(reply.body().contains("IllegalStateException"), reply.body());
        assertTrue(problem.get("detail").asText().contains(problem.get("incident").asText()), problem::toString);
    }

    @Test
    void theServerRecoversWhenTheLedgerDoes() {
        APP.ledger.failWith(() -> new LedgerUnavailableException("down", null));
        api.get("/v1/branches").problem(503);
        APP.ledger.heal();
        api.get("/v1/branches").expect(200);
    }
}
