package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.port.LedgerUnavailableException;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server serves at most {@code maxConcurrentRequests} requests at once: one more is answered 503 at once
 * (with a problem document and Retry-After), not queued behind the others.
 */
@ServerTest
class ConcurrencyLimitTest {
    private static final TestApp APP = new TestApp(HttpSettings.defaults().withAuthMode(AuthMode.NONE)
            .withConcurrency(1, 8));

    private final Api api;

    ConcurrencyLimitTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    @Test
    void aRequestPastTheLimitIsAnswered503WhileTheFirstIsServed() throws Exception {
        // given: a read held inside the ledger
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        APP.ledger.failWith(() -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new LedgerUnavailableException("held by the test", null);
        });
        CompletableFuture<Api.Reply> held = CompletableFuture.supplyAsync(() -> api.get("/v1/vibes/roles/root"));
        try {
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the first request never reached the ledger");

            // when
            Api.Reply second = api.get("/observe/health");

            // then
            JsonNode problem = second.problem(503);
            assertEquals("urn:refinery:problem:http-503", problem.get("type").asText(), second.body());
            assertTrue(second.header("Retry-After").isPresent(), second.headers()::toString);
        } finally {
            release.countDown();
        }
        assertEquals("urn:refinery:problem:unavailable", held.get(30, TimeUnit.SECONDS).problem(503).get("type").asText());
        APP.ledger.heal();
        api.get("/v1/vibes/roles/root").expect(200);
    }

    @Test
    void theConnectionLimitIsSetOnTheListener() {
        WebServerConfig.Builder server = WebServerConfig.builder();
        APP.configure(server);
        assertEquals(1, server.maxConcurrentRequests());
        assertEquals(8, server.maxTcpConnections());
    }
}
