package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document served at {@code /openapi} and the routes served agree, both ways. */
@ServerTest
class OpenApiDocumentTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    /** A run id no run has: its routes answer 404 not-found, not no-route. */
    private static final String PROBE_RUN = "00000000-0000-4000-8000-000000000000";
    private final Api api;

    OpenApiDocumentTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    private JsonNode document() {
        return api.get("/openapi?format=json").expect(200).json();
    }

    /** Whether the router has a route for it: not a 404 for want of a route, nor a 405. */
    private boolean routed(String method, String path) {
        Api.Reply reply = api.method(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}");
        if (reply.status() == 405) return false;
        return !(reply.status() == 404 && reply.json().path("type").asText().equals("urn:refinery:problem:no-route"));
    }

    private static String instance(String template) {
        return template.replace("{id}", "probe/x").replace("{name}", "probe/x").replace("{refinementId}", "1")
                .replace("{processId}", PROBE_RUN);
    }

    @Test
    void theDocumentIsOpenApi31() {
        JsonNode doc = document();
        assertEquals("3.1.0", doc.get("openapi").asText());
        assertTrue(api.get("/openapi").expect(200).body().startsWith("openapi:"), "YAML by default");
    }

    @Test
    void everyDocumentedOperationIsRouted() {
        List<String> unrouted = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document().get("paths").properties()) {
            for (String method : METHODS) {
                if (path.getValue().has(method.toLowerCase()) && !routed(method, instance(path.getKey()))) {
                    unrouted.add(method + " " + path.getKey());
                }
            }
        }
        assertTrue(unrouted.isEmpty(), () -> "documented but not routed: " + unrouted);
    }

    @Test
    void everyRoutedV1OperationIsDocumented() {
        JsonNode paths = document().get("paths");
        Set<String> undocumented = new TreeSet<>();
        int routes = 0;
        for (Map.Entry<String, String> resource : HttpMetrics.RESOURCES.entrySet()) {
            String collection = "/v1/" + resource.getKey();
            String member = collection + "/" + (resource.getValue().isEmpty() ? "{tail}" : resource.getValue());
            List<String> templates = new ArrayList<>(List.of(collection, member));
            String action = HttpMetrics.ACTIONS.get(resource.getKey());
            if (action != null) templates.add(member + "/" + action);
            for (String template : templates) {
                for (String method : METHODS) {
                    if (!routed(method, instance(template).replace("{tail}", "probe/x"))) continue;
                    routes++;
                    if (!paths.path(template).has(method.toLowerCase())) undocumented.add(method + " " + template);
                }
            }
        }
        assertTrue(undocumented.isEmpty(), () -> "routed but not documented: " + undocumented);
        assertEquals(23, routes, "the API serves 23 operations");
    }
}
