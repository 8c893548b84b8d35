package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A small HTTP client for the tests: every answer is checked to hold no stack trace. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final URI base;
    private String token;

    Api(URI base) {
        this.base = base;
    }

    /** Sends {@code Authorization: Bearer token} from now on (null: no header). */
    Api as(String token) {
        this.token = token;
        return this;
    }

    Reply get(String pathAndQuery, String... headers) {
        return send(request(pathAndQuery, headers).GET());
    }

    Reply post(String path, String body, String... headers) {
        HttpRequest.Builder b = request(path, headers);
        if (!hasHeader(headers, "Content-Type")) b.header("Content-Type", "application/json");
        return send(b.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply method(String method, String path, String... headers) {
        return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** Any method, with a JSON body unless {@code body} is null. */
    Reply method(String method, String path, String body) {
        HttpRequest.Builder b = request(path);
        if (body == null) return send(b.method(method, HttpRequest.BodyPublishers.noBody()));
        return send(b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery));
        if (token != null) b.header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    private static boolean hasHeader(String[] headers, String name) {
        for (int i = 0; i < headers.length; i += 2) if (headers[i].equalsIgnoreCase(name)) return true;
        return false;
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Reply reply = new Reply(r.statusCode(), r.headers(), r.body());
            reply.assertNoStackTrace();
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        String contentType() {
            return header("Content-Type").orElse("");
        }

        /** Asserts the status, showing the body when it differs. */
        Reply expect(int expected) {
            assertEquals(expected, status, () -> "unexpected status; body: " + body);
            return this;
        }

        /** Asserts an RFC 9457 problem document with this status, and returns it. */
        JsonNode problem(int expected) {
            expect(expected);
            assertEquals("application/problem+json", contentType(), body);
            JsonNode p = json();
            assertEquals(expected, p.path("status").asInt(), body);
            assertFalse(p.path("type").asText().isEmpty(), body);
            assertFalse(p.path("title").asText().isEmpty(), body);
            assertFalse(p.path("detail").asText().isEmpty(), body);
            return p;
        }

        void assertNoStackTrace() {
            String b = body == null ? "" : body;
            for (String sign : new String[]{"\tat ", "at dev.refinery.", "at io.helidon.", "at java.", "Exception:",
                    "Caused by", ".java:"}) {
                assertFalse(b.contains(sign), () -> "the answer shows a stack trace (" + sign + "): " + b);
            }
        }
    }
}
