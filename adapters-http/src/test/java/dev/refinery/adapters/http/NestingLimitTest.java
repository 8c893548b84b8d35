package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An answer deeper than JSON's writer allows is a 422 saying so, not a 500: every schema of a chain of
 * references is shallow enough to write, but the inlined view nests them inside one another.
 */
@ServerTest
class NestingLimitTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private static final int LEVELS_PER_SCHEMA = 50;
    private static final int SCHEMAS = 25;  // 25 x 50 levels: past Jackson's 1000

    private final Api api;

    NestingLimitTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    @Test
    void anInlinedViewNestedPastTheWritersLimitAnswers422() {
        // given: a chain of schemas, each 50 levels of "items" around a reference to the next
        String prefix = "deep/" + UUID.randomUUID().toString().substring(0, 8) + "/";
        String next = null;
        for (int i = SCHEMAS - 1; i >= 0; i--) {
            String inner = next == null ? "{\"type\": \"object\"}" : "{\"$ref\": \"aug:/" + next + "\"}";
            String schema = "{\"items\": ".repeat(LEVELS_PER_SCHEMA) + inner + "}".repeat(LEVELS_PER_SCHEMA);
            api.post("/v1/refinements", """
                    {"branch": "main", "vibes": [{"id": "%s", "kind": "RECORD", "schema": %s, "solution": {}}]}
                    """.formatted(prefix + i, schema)).expect(201);
            next = prefix + i;
        }

        // when
        JsonNode problem = api.get("/v1/schemas/" + prefix + "0?mode=inlined").problem(422);

        // then
        assertTrue(problem.path("detail").asText().contains("nest"), problem::toString);
        api.get("/v1/schemas/" + prefix + "0?mode=bundled").expect(200);
        assertEquals(200, api.get("/v1/vibes/" + prefix + "0").status());
    }
}
