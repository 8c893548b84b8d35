package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input never gets a 500: each kind of mistake answers its own 4xx problem document, with a pointer
 * where the mistake is in the body. The server here has small limits so that they are cheap to cross.
 */
@ServerTest
class BadInputTest {
    private static final int MAX_BODY = 10_000;
    private static final int MAX_DEPTH = 16;
    private static final int MAX_OUTPUTS = 3;
    private static final TestApp APP = new TestApp(new HttpSettings(MAX_BODY, MAX_DEPTH, MAX_OUTPUTS, AuthMode.NONE));

    private final URI uri;
    private final Api api;

    BadInputTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    private JsonNode refine(String body, int status) {
        return api.post("/v1/refinements", body).problem(status);
    }

    private static void assertPointsAt(JsonNode problem, String pointer) {
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertTrue(pointers.contains(pointer), () -> "no error at " + pointer + ": " + problem);
    }

    // ---- JSON ----------------------------------------------------------------------------------

    @Test
    void malformedJsonAnswers400SayingWhere() {
        JsonNode problem = refine("{\"branch\": \"main\", ", 400);
        assertTrue(problem.get("detail").asText().contains("not well-formed JSON"), problem::toString);
        refine("{\"branch\": 'main'}", 400);
        refine("{} {}", 400);
        refine("", 400);
        refine("{\"branch\": \"main\", \"branch\": \"dev\", \"vibes\": []}", 400);
    }

    @Test
    void jsonNestedDeeperThanTheLimitAnswers400() {
        String deep = "[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH);
        JsonNode problem = refine("{\"branch\": \"main\", \"vibes\": [{\"id\": \"d\", \"kind\": \"RECORD\", \"solution\": "
                + deep + "}]}", 400);
        assertTrue(problem.get("detail").asText().contains("deeper than " + MAX_DEPTH), problem::toString);
    }

    @Test
    void aBodyThatIsNotJsonAnswers415AndNotAnObject400() {
        api.post("/v1/refinements", "branch=main", "Content-Type", "application/x-www-form-urlencoded").problem(415);
        refine("[]", 400);
        refine("\"text\"", 400);
    }

    // ---- size ----------------------------------------------------------------------------------

    @Test
    void aDeclaredLengthOverTheLimitAnswers413BeforeTheBodyIsSent() throws IOException {
        try (RawHttp raw = new RawHttp(uri)) {
            // when: the headers promise more than the limit, and only the first bytes follow
            String response = raw.write("POST /v1/refinements HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (MAX_BODY * 100) + "\r\n\r\n{\"branch\":")
                    .response();

            // then
            assertEquals(413, RawHttp.status(response), response);
            assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
            assertTrue(RawHttp.body(response).contains("larger than " + MAX_BODY), response);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitAnswers413BeforeItEnds() throws IOException {
        try (RawHttp raw = new RawHttp(uri)) {
            // when: chunks add up past the limit, and the body never ends
            raw.write("POST /v1/refinements HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) raw.chunk(" ".repeat(MAX_BODY / 2 - 1));
            String response = raw.response();

            // then
            assertEquals(413, RawHttp.status(response), response);
            assertTrue(RawHttp.body(response).contains("\"status\":413"), response);
        }
    }

    @Test
    void aContentTypeThatIsNoMediaTypeAnswers400() {
        JsonNode problem = api.post("/v1/refinements", "{}", "Content-Type", "NaN").problem(400);
        assertTrue(problem.get("detail").asText().contains("Content-Type"), problem::toString);
    }

    @Test
    void aNegativeContentLengthAnswers400AtOnce() throws IOException {
        try (RawHttp raw = new RawHttp(uri)) {
            // when: a length no body can have, and a body with no line break (read as chunks it never ends)
            String response = raw.write("POST /v1/refinements HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{\"branch\": \"main\"}").response();

            // then
            assertEquals(400, RawHttp.status(response), response);
            assertTrue(response.toLowerCase().contains("application/problem+json"), response);
        }
    }

    @Test
    void aChunkSizeThatIsNoNumberAnswers400() throws IOException {
        try (RawHttp raw = new RawHttp(uri)) {
            String response = raw.write("POST /v1/refinements HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n").response();

            assertEquals(400, RawHttp.status(response), response);
            assertTrue(RawHttp.body(response).contains("could not be read"), response);
        }
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        String padding = " ".repeat(MAX_BODY - 200);
        api.post("/v1/refinements", "{\"branch\": \"main\"," + padding + "\"vibes\": [{\"id\": \"fits\", \"kind\": \"RECORD\"}]}")
                .expect(201);
    }

    // ---- shape: 400 with pointers ------------------------------------------------------------

    @Test
    void anUnknownFieldAnswers400NamingItsPointer() {
        JsonNode problem = refine("""
                {"branch": "main", "colour": "red",
                 "vibes": [{"id": "u", "kind": "RECORD", "extra": 1}]}""", 400);
        assertPointsAt(problem, "/colour");
        assertPointsAt(problem, "/vibes/0/extra");
    }

    @Test
    void aBodyCannotClaimAnAuthor() {
        JsonNode problem = refine("""
                {"branch": "main", "author": "main@roles/root?1", "vibes": [{"id": "a", "kind": "RECORD"}]}""", 400);
        assertPointsAt(problem, "/author");
        assertTrue(problem.at("/errors/0/message").asText().contains("caller's role"), problem::toString);
        assertPointsAt(refine("""
                {"branch": "main", "vibes": [{"id": "a", "kind": "RECORD", "authorRef": "main@roles/root?1"}]}""", 400),
                "/vibes/0/authorRef");
    }

    @Test
    void wrongJsonTypesAnswer400NamingTheirPointers() {
        JsonNode problem = refine("""
                {"branch": 5, "dryRun": "yes", "targets": "main@x?1", "message": [],
                 "vibes": [{"id": 1, "kind": true}, 7]}""", 400);
        for (String pointer : List.of("/branch", "/dryRun", "/targets", "/message", "/vibes/0/id", "/vibes/0/kind",
                "/vibes/1")) {
            assertPointsAt(problem, pointer);
        }
        assertPointsAt(refine("{\"branch\": \"main\", \"vibes\": {}}", 400), "/vibes");
        assertPointsAt(refine("{\"branch\": \"main\"}", 400), "/vibes");
        assertPointsAt(refine("{\"vibes\": [{\"id\": \"x\", \"kind\": \"RECORD\"}]}", 400), "/branch");
    }

    // ---- values: 422 with pointers and reasons -----------------------------------------------

    @Test
    void badIdsRefsKindsAndBranchNamesAnswer422WithTheReason() {
        JsonNode problem = refine("""
                {"branch": "main/", "targets": ["main@x"], "instructions": ["nope"],
                 "vibes": [{"id": "../etc", "kind": "THING", "base": "main@y?0", "prototype": "aug:/x"}]}""", 422);
        for (String pointer : List.of("/branch", "/targets/0", "/instructions/0", "/vibes/0/id", "/vibes/0/kind",
                "/vibes/0/base", "/vibes/0/prototype")) {
            assertPointsAt(problem, pointer);
        }
        problem.get("errors").forEach(e -> assertFalse(e.get("message").asText().isBlank()));
        assertTrue(problem.toString().contains("trailing '/' is not allowed"), problem::toString);
    }

    @Test
    void outputsBreakingTheCommandsRulesAnswer422() {
        assertPointsAt(refine("{\"branch\": \"main\", \"vibes\": []}", 422), "/vibes");
        assertPointsAt(refine("""
                {"branch": "main", "vibes": [{"id": "t", "kind": "RECORD"}, {"id": "t", "kind": "RECORD"}]}""", 422),
                "/vibes/1/id");
        assertPointsAt(refine("""
                {"branch": "main", "vibes": [{"id": "a", "kind": "RECORD"}, {"id": "b", "kind": "RECORD"},
                 {"id": "c", "kind": "RECORD"}, {"id": "d", "kind": "RECORD"}]}""", 422), "/vibes");
        assertPointsAt(refine("""
                {"branch": "main", "idempotencyKey": "   ", "vibes": [{"id": "k", "kind": "RECORD"}]}""", 422),
                "/idempotencyKey");
        assertPointsAt(refine("""
                {"branch": "main", "vibes": [{"id": "s", "kind": "RECORD", "schema": 12}]}""", 422),
                "/vibes/0/schema");
    }

    @Test
    void aNulCharacterInAMessageOrKeyAnswers422NotAFailedWrite() {
        assertPointsAt(refine("""
                {"branch": "main", "message": "a\\u0000b", "vibes": [{"id": "nul", "kind": "RECORD"}]}""", 422), "/message");
        assertPointsAt(refine("""
                {"branch": "main", "idempotencyKey": "k\\u0000", "vibes": [{"id": "nul", "kind": "RECORD"}]}""", 422),
                "/idempotencyKey");
        assertPointsAt(api.post("/v1/merges", """
                {"source": "main", "target": "other", "message": "\\u0000"}""").problem(422), "/message");
    }

    @Test
    void aLoneUtf16SurrogateInAnyStringAnswers422AndNothingIsWritten() {
        // a high surrogate with no low one after it, and a low one alone: neither is a character
        assertPointsAt(refine("""
                {"branch": "main", "vibes": [{"id": "lone/a", "kind": "RECORD", "solution": {"text": "a\\ud800b"}}]}""",
                422), "/vibes/0/solution/text");
        assertPointsAt(refine("""
                {"branch": "main", "vibes": [{"id": "lone/b", "kind": "RECORD", "context": ["\\udc00"]}]}""", 422),
                "/vibes/0/context/0");
        assertPointsAt(refine("""
                {"branch": "main", "message": "\\ud83d", "vibes": [{"id": "lone/c", "kind": "RECORD"}]}""", 422),
                "/message");
        api.get("/v1/vibes/lone/a").problem(404);
        api.get("/v1/vibes/lone/b").problem(404);
        api.get("/v1/vibes/lone/c").problem(404);
        // a pair is one character (U+1F600) and is kept as written
        api.post("/v1/refinements", """
                {"branch": "main", "vibes": [{"id": "lone/pair", "kind": "RECORD", "solution": "\\ud83d\\ude00"}]}""")
                .expect(201);
        assertEquals("\ud83d\ude00", api.get("/v1/vibes/lone/pair").expect(200).json().get("solution").textValue());
    }

    @Test
    void everyIdempotencyKeyFollowsTheSameRule() {
        String tooLong = "k".repeat(201);
        for (String key : List.of(tooLong, "   ", "k\\u0000")) {
            assertPointsAt(refine("{\"branch\": \"main\", \"idempotencyKey\": \"" + key
                    + "\", \"vibes\": [{\"id\": \"k\", \"kind\": \"RECORD\"}]}", 422), "/idempotencyKey");
            assertPointsAt(api.post("/v1/merges", "{\"source\": \"main\", \"target\": \"other\", \"idempotencyKey\": \""
                    + key + "\"}").problem(422), "/idempotencyKey");
            assertPointsAt(api.post("/v1/processes", "{\"process\": \"aug:/processes/none\", \"idempotencyKey\": \""
                    + key + "\"}").problem(422), "/idempotencyKey");
        }
    }

    // ---- the request line ----------------------------------------------------------------------

    @Test
    void unknownOrRepeatedQueryParametersAnswer400() {
        assertTrue(api.get("/v1/vibes?brnch=main").problem(400).get("detail").asText().contains("brnch"));
        api.get("/v1/vibes?branch=main&branch=dev").problem(400);
        api.post("/v1/refinements?dryRun=true", "{}").problem(400);
    }

    @Test
    void anUnsupportedMethodAnswers405WithAllow() {
        Api.Reply reply = api.method("PUT", "/v1/refinements");
        reply.problem(405);
        assertEquals("GET, POST", reply.header("Allow").orElseThrow());
        assertEquals("GET", api.method("DELETE", "/v1/vibes/roles/root").expect(405).header("Allow").orElseThrow());
        assertEquals("POST", api.get("/v1/merges").expect(405).header("Allow").orElseThrow());
    }

    @Test
    void anUnknownPathAnswers404() {
        assertEquals("urn:refinery:problem:no-route", api.get("/v2/vibes").problem(404).get("type").asText());
        api.get("/v1").problem(404);
    }

    @Test
    void aPathHelidonCannotDecodeAnswersAProblem() throws IOException {
        try (RawHttp raw = new RawHttp(uri)) {
            String response = raw.write("GET /v1/vibes/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n").response();
            assertEquals(400, RawHttp.status(response), response);
            assertTrue(response.toLowerCase().contains("application/problem+json"), response);
        }
    }
}
