package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Input that would hold a core for ages answers like any other: a schema pattern that backtracks catastrophically
 * in java.util.regex. The bounds below only tell a hang from an answer (java.util.regex needs far longer than the
 * test would wait); they measure nothing.
 */
@ServerTest
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: a stalled server must fail, not hang
class StallsTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private static final long HANG_SECONDS = 30;

    private final Api api;

    StallsTest(URI uri) {
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    @Test
    void threeCatastrophicPatternsAtOnceEachAnswerAndHealthAnswersMeanwhile() throws Exception {
        String bait = "a".repeat(40) + "!";
        String body = "{\"branch\": \"main\", \"dryRun\": true, \"vibes\": [{\"id\": \"stalls/pattern\", \"kind\": \"RECORD\","
                + " \"schema\": {\"type\": \"string\", \"pattern\": \"^(.*a){25}$\"}, \"solution\": \"" + bait + "\"}]}";
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Api.Reply>> refines = new ArrayList<>();
            for (int i = 0; i < 3; i++) refines.add(clients.submit(() -> api.post("/v1/refinements", body)));
            Future<Api.Reply> health = clients.submit(() -> api.get("/observe/health"));
            assertEquals(200, answer(health).status());
            for (Future<Api.Reply> refine : refines) {
                JsonNode problem = answer(refine).problem(422);
                assertTrue(problem.toString().contains("pattern"), problem::toString);
            }
        } finally {
            clients.shutdownNow(); // a client still waiting (a hang) is interrupted, not waited for
        }
        // and the same id takes a write afterwards
        api.post("/v1/refinements", body.replace("\"dryRun\": true", "\"dryRun\": false")
                .replace(bait, "a".repeat(25))).expect(201);
    }

    @Test
    void aPatternTheLinearEngineCannotRunIsA422AtWrite() {
        JsonNode problem = api.post("/v1/refinements", "{\"branch\": \"main\", \"vibes\": [{\"id\": \"stalls/lookahead\","
                + " \"kind\": \"RECORD\", \"schema\": {\"properties\": {\"code\": {\"pattern\": \"^(?=[A-Z])\\\\w+$\"}}},"
                + " \"solution\": {}}]}").problem(422);
        assertTrue(problem.toString().contains("/properties/code/pattern"), problem::toString);
    }

    @Test
    void anInlinedViewOfManyBytesInFewNodesIsA422SayingItsSize() {
        // a 100 kB description, doubled by each of 8 diamonds: 25 MB of JSON in a few hundred nodes
        String description = "x".repeat(100_000);
        api.post("/v1/refinements", "{\"branch\": \"main\", \"vibes\": [{\"id\": \"stalls/s0\", \"kind\": \"RECORD\","
                + " \"schema\": {\"description\": \"" + description + "\"}, \"solution\": 1}]}").expect(201);
        for (int i = 1; i <= 8; i++) {
            String below = "aug:/stalls/s" + (i - 1);
            api.post("/v1/refinements", "{\"branch\": \"main\", \"vibes\": [{\"id\": \"stalls/s" + i + "\", \"kind\": \"RECORD\","
                    + " \"schema\": {\"allOf\": [{\"$ref\": \"" + below + "\"}, {\"$ref\": \"" + below + "\"}]}, \"solution\": 1}]}")
                    .expect(201);
        }
        JsonNode problem = api.get("/v1/schemas/stalls/s8?mode=inlined").problem(422);
        String detail = problem.get("detail").asText();
        assertTrue(detail.contains("bytes") && detail.matches(".*\\b2[0-9]{7}\\b.*"), detail);
        api.get("/v1/schemas/stalls/s8?mode=bundled").expect(200);
        api.get("/v1/schemas/stalls/s2?mode=inlined").expect(200);
    }

    private static Api.Reply answer(Future<Api.Reply> reply) throws Exception {
        try {
            return reply.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("no answer in " + HANG_SECONDS + " s");
        }
    }
}
