package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a web page in a browser can make the server do when nobody is asked who they are (auth none):
 * a POST without a JSON media type (a typeless Blob needs no CORS preflight), a request under a host
 * name the server does not answer to (DNS rebinding), or a write from another origin.
 */
@ServerTest
class BrowserRulesTest {
    private static final TestApp APP = new TestApp(HttpSettings.defaults().withAuthMode(AuthMode.NONE)
            .withBrowserAccess(Set.of("Refinery.Example"), Set.of("https://console.example:443/")));

    private final URI uri;

    BrowserRulesTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    private static String refineBody() {
        return "{\"branch\": \"main\", \"vibes\": [{\"id\": \"browser/" + UUID.randomUUID().toString().substring(0, 8)
                + "\", \"kind\": \"RECORD\", \"solution\": {\"owned\": true}}]}";
    }

    /** One request by hand, so that every header is the test's choice (or absent). */
    private String send(String method, String path, String headers, String body) throws IOException {
        try (RawHttp raw = new RawHttp(uri)) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            return raw.write(method + " " + path + " HTTP/1.1\r\n" + headers
                    + (body == null ? "" : "Content-Length: " + bytes.length + "\r\n")
                    + "Connection: close\r\n\r\n" + (body == null ? "" : body)).response();
        }
    }

    private String local() {
        return "Host: localhost:" + uri.getPort() + "\r\n";
    }

    private static JsonNode problem(String response, int status) throws IOException {
        assertEquals(status, RawHttp.status(response), response);
        assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
        return Api.JSON.readTree(RawHttp.body(response));
    }

    // ---- Content-Type --------------------------------------------------------------------------

    @Test
    void aBodyWithoutContentTypeIsRefused415AndNothingIsWritten() throws IOException {
        String id = "browser/untyped-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"branch\": \"main\", \"vibes\": [{\"id\": \"" + id + "\", \"kind\": \"RECORD\"}]}";

        JsonNode p = problem(send("POST", "/v1/refinements", local(), body), 415);

        assertTrue(p.path("detail").asText().contains("application/json"), p::toString);
        assertEquals(404, RawHttp.status(send("GET", "/v1/vibes/" + id, local(), null)));
    }

    @Test
    void aBodyOfAnotherMediaTypeIsRefused415() throws IOException {
        problem(send("POST", "/v1/refinements", local() + "Content-Type: text/plain\r\n", refineBody()), 415);
        problem(send("POST", "/v1/branches", local() + "Content-Type: application/x-www-form-urlencoded\r\n",
                "name=x"), 415);
    }

    @Test
    void aJsonBodyIsStillAccepted() throws IOException {
        assertEquals(201, RawHttp.status(send("POST", "/v1/refinements",
                local() + "Content-Type: application/json; charset=utf-8\r\n", refineBody())));
    }

    // ---- Host ----------------------------------------------------------------------------------

    @Test
    void aHostNameTheServerDoesNotAnswerToIsRefusedOnEveryPath() throws IOException {
        for (String path : new String[]{"/v1/vibes/roles/root", "/observe/health", "/openapi", "/nowhere"}) {
            JsonNode p = problem(send("GET", path, "Host: rebind.attacker.example:" + uri.getPort() + "\r\n", null), 421);
            assertTrue(p.path("detail").asText().contains("rebind.attacker.example"), p::toString);
        }
        problem(send("POST", "/v1/refinements", "Host: rebind.attacker.example\r\nContent-Type: application/json\r\n",
                refineBody()), 421);
    }

    @Test
    void loopbackNamesAndAddressesAreAnsweredWithAnyPort() throws IOException {
        for (String host : new String[]{"localhost", "LOCALHOST:" + uri.getPort(), "127.0.0.1", "127.0.0.1:" + uri.getPort(),
                "[::1]:" + uri.getPort(), "localhost.:80"}) {
            assertEquals(200, RawHttp.status(send("GET", "/observe/health", "Host: " + host + "\r\n", null)), host);
        }
    }

    // ---- Origin --------------------------------------------------------------------------------

    @Test
    void aWriteFromAnotherOriginIsRefused403() throws IOException {
        for (String origin : new String[]{"http://attacker.example", "null", "http://localhost:1" + uri.getPort()}) {
            JsonNode p = problem(send("POST", "/v1/refinements",
                    local() + "Origin: " + origin + "\r\nContent-Type: application/json\r\n", refineBody()), 403);
            assertTrue(p.path("detail").asText().contains("Origin"), p::toString);
        }
        problem(send("POST", "/v1/processes/0b4f2c1e-8d3a-4f6b-9c2d-1e5f7a9b3c4d/cancel",
                local() + "Origin: http://attacker.example\r\n", null), 403);
    }

    @Test
    void aWriteFromTheServersOwnOriginPasses() throws IOException {
        assertEquals(201, RawHttp.status(send("POST", "/v1/refinements",
                local() + "Origin: http://localhost:" + uri.getPort() + "\r\nContent-Type: application/json\r\n",
                refineBody())));
    }

    @Test
    void aReadFromAnotherOriginIsAnsweredForTheBrowserToWithhold() throws IOException {
        assertEquals(200, RawHttp.status(send("GET", "/v1/vibes/roles/root",
                local() + "Origin: http://attacker.example\r\n", null)));
    }

    // ---- what the operator lists ---------------------------------------------------------------

    @Test
    void aListedHostNameIsAnsweredWithAnyPortAndCase() throws IOException {
        for (String host : new String[]{"refinery.example", "REFINERY.example:8443", "refinery.example.:" + uri.getPort()}) {
            assertEquals(200, RawHttp.status(send("GET", "/observe/health", "Host: " + host + "\r\n", null)), host);
        }
        problem(send("GET", "/observe/health", "Host: other.refinery.example\r\n", null), 421);
    }

    @Test
    void aListedOriginMayWrite() throws IOException {
        for (String origin : new String[]{"https://console.example", "https://CONSOLE.example:443"}) {
            assertEquals(201, RawHttp.status(send("POST", "/v1/refinements",
                    local() + "Origin: " + origin + "\r\nContent-Type: application/json\r\n", refineBody())), origin);
        }
        // another scheme or port is another origin
        problem(send("POST", "/v1/refinements",
                local() + "Origin: http://console.example\r\nContent-Type: application/json\r\n", refineBody()), 403);
        problem(send("POST", "/v1/refinements",
                local() + "Origin: https://console.example:8443\r\nContent-Type: application/json\r\n", refineBody()), 403);
    }

    @Test
    void aPageServedUnderAListedNameMayWriteThroughAProxyThatPublishesAnotherPort() throws IOException {
        // the proxy forwards https://refinery.example (port 443) with the Host it was sent
        assertEquals(201, RawHttp.status(send("POST", "/v1/refinements", "Host: refinery.example\r\n"
                + "Origin: https://refinery.example\r\nContent-Type: application/json\r\n", refineBody())));
        assertEquals(201, RawHttp.status(send("POST", "/v1/refinements", "Host: refinery.example:" + uri.getPort()
                + "\r\nOrigin: http://refinery.example:" + uri.getPort() + "\r\nContent-Type: application/json\r\n",
                refineBody())));
    }
}
