package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health with a pluggable readiness check, and Prometheus metrics of requests and refine outcomes. */
@ServerTest
class OperationsTest {
    private static final AtomicBoolean READY = new AtomicBoolean(true);
    private static final TestApp APP = new TestApp(HttpSettings.defaults().withAuthMode(AuthMode.NONE), READY::get);
    private final Api api;

    OperationsTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    @Test
    void healthFollowsTheReadinessCheck() {
        // given ready
        READY.set(true);
        JsonNode up = api.get("/observe/health").expect(200).json();
        assertEquals("UP", up.get("status").asText());
        assertEquals("ledger", up.at("/checks/0/name").asText());

        // when the check says no
        READY.set(false);
        try {
            // then
            assertEquals("DOWN", api.get("/observe/health/ready").expect(503).json().get("status").asText());
            api.get("/observe/health/live").expect(200);
        } finally {
            READY.set(true);
        }
    }

    @Test
    void metricsCountRequestsByRouteAndStatusAndRefinesByOutcome() {
        // given
        api.get("/v1/vibes/roles/root").expect(200);
        api.get("/v1/vibes/no/such").expect(404);
        api.post("/v1/refinements", "{\"branch\": \"main\", \"vibes\": [{\"id\": \"metered\", \"kind\": \"RECORD\"}]}")
                .expect(201);

        // when
        Api.Reply metrics = api.get("/observe/metrics").expect(200);

        // then
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        String text = metrics.body();
        assertTrue(text.contains("refinery_http_requests_seconds_count{method=\"GET\",route=\"/v1/vibes/{id}\","
                + "scope=\"application\",status=\"200\",}"), text);
        assertTrue(text.contains("route=\"/v1/vibes/{id}\",scope=\"application\",status=\"404\""), text);
        assertTrue(text.contains("refinery_refine_outcomes_total{outcome=\"written\""), text);
    }

    @Test
    void aMeterKeepsCountingAcrossRequests() {
        // given: the meters are cached by their labels, so the second request must count on the first one's meter
        api.get("/v1/history/counted/twice").expect(404);
        api.get("/v1/history/counted/twice").expect(404);

        // when
        String text = api.get("/observe/metrics").expect(200).body();

        // then
        assertTrue(text.contains("refinery_http_requests_seconds_count{method=\"GET\",route=\"/v1/history/{id}\","
                + "scope=\"application\",status=\"404\",} 2.0"), text);
    }

    @Test
    void routeTemplatesKeepIdsOutOfLabels() {
        assertEquals("/v1/vibes/{id}", HttpMetrics.route("/v1/vibes/schemas/user"));
        assertEquals("/v1/vibes", HttpMetrics.route("/v1/vibes"));
        assertEquals("/v1/branches/{name}", HttpMetrics.route("/v1/branches/dev/x"));
        assertEquals("/v1/refinements/{refinementId}", HttpMetrics.route("/v1/refinements/12"));
        assertEquals("/v1/processes", HttpMetrics.route("/v1/processes"));
        assertEquals("/v1/log/leaves/{refinementId}", HttpMetrics.route("/v1/log/leaves/12"));
        assertEquals("/v1/log/proof/inclusion", HttpMetrics.route("/v1/log/proof/inclusion"));
        assertEquals("other", HttpMetrics.route("/v1/log/leaves/1/2"));
        assertEquals("/v1/processes/{processId}", HttpMetrics.route("/v1/processes/" + java.util.UUID.randomUUID()));
        assertEquals("/v1/processes/{processId}/cancel",
                HttpMetrics.route("/v1/processes/" + java.util.UUID.randomUUID() + "/cancel"));
        assertEquals("/observe/health", HttpMetrics.route("/observe/health/ready"));
        assertEquals("other", HttpMetrics.route("/observe/anything-an-attacker-likes"));
        assertEquals("other", HttpMetrics.route("/v1/unknown/thing"));
    }
}
