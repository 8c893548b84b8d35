package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.refinery.adapters.http.Api.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST and GET {@code /v1/refinements}: every outcome of a refine, and the log. */
@ServerTest
class RefinementsApiTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private final Api api;

    RefinementsApiTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String refineBody(String id, String solution) {
        return """
                {"branch": "main", "message": "add %s",
                 "vibes": [{"id": "%s", "kind": "RECORD", "context": {},
                            "schema": {"type": "object", "properties": {"age": {"type": "integer"}}},
                            "solution": %s}]}
                """.formatted(id, id, solution);
    }

    @Test
    void aRefineWritesItsVibesAndAnswers201WithTheRefinement() {
        // given
        String id = unique("people");

        // when
        Api.Reply reply = api.post("/v1/refinements", refineBody(id, "{\"age\": 42}")).expect(201);

        // then
        JsonNode body = reply.json();
        JsonNode refinement = body.get("refinement");
        assertEquals("main", refinement.get("branch").asText());
        assertEquals("refine", refinement.get("kind").asText());
        assertEquals(AuthFilter.ROOT_ROLE.toString(), refinement.get("authorRef").asText());
        assertEquals("add " + id, refinement.get("message").asText());
        assertEquals("main@" + id + "?1", refinement.get("outputRefs").get(0).asText());
        assertEquals("/v1/refinements/" + refinement.get("id").asLong(), reply.header("Location").orElseThrow());
        for (String field : List.of("id", "branch", "authorRef", "kind", "targetRefs", "instructionRefs", "budgetRefs",
                "outputRefs", "message", "idempotencyKey", "createdAt")) {
            assertTrue(refinement.has(field), field);
        }
        JsonNode vibe = body.get("vibes").get(0);
        assertEquals("main@" + id + "?1", vibe.get("ref").asText());
        assertEquals(id, vibe.get("id").asText());
        assertEquals(1, vibe.get("revision").asInt());
        assertEquals("RECORD", vibe.get("kind").asText());
        assertEquals(42, vibe.get("solution").get("age").asInt());
        assertEquals(refinement.get("id").asLong(), vibe.get("refinementId").asLong());
        assertTrue(vibe.get("digest").asText().startsWith("sha256:"));
        assertFalse(vibe.get("unchanged").asBoolean());
        for (String field : List.of("ref", "id", "branch", "branches", "revision", "kind", "authorRef", "prototypeRef",
                "refinementId", "context", "schema", "solution", "schemaRefs", "digest", "createdAt", "unchanged")) {
            assertTrue(vibe.has(field), field);
        }
    }

    @Test
    void aRepeatedIdempotencyKeyAnswers200WithTheFirstResult() {
        // given
        String id = unique("idem");
        String body = """
                {"branch": "main", "idempotencyKey": "%s",
                 "vibes": [{"id": "%s", "kind": "RECORD", "schema": {}, "solution": 1}]}
                """.formatted(UUID.randomUUID(), id);
        JsonNode first = api.post("/v1/refinements", body).expect(201).json();

        // when
        JsonNode again = api.post("/v1/refinements", body).expect(200).json();

        // then
        assertEquals(first.get("refinement"), again.get("refinement"));
        assertEquals(first.at("/vibes/0/ref"), again.at("/vibes/0/ref"));
    }

    @Test
    void theSameKeyWithAnotherBodyAnswers422NamingTheFirstRefinement() {
        // given
        String key = UUID.randomUUID().toString();
        String id = unique("reuse");
        String body = """
                {"branch": "main", "idempotencyKey": "%s",
                 "vibes": [{"id": "%s", "kind": "RECORD", "schema": {}, "solution": %s}]}""";
        JsonNode first = api.post("/v1/refinements", body.formatted(key, id, "1")).expect(201).json();

        // when
        JsonNode problem = api.post("/v1/refinements", body.formatted(key, id, "2")).problem(422);

        // then
        assertEquals("urn:refinery:problem:idempotency-key-reused", problem.get("type").asText(), problem::toString);
        assertEquals(first.get("refinement"), problem.get("refinement"), problem::toString);
        assertTrue(problem.get("detail").asText().contains("refinement " + first.at("/refinement/id").asLong()),
                problem::toString);
        assertEquals("/idempotencyKey", problem.at("/errors/0/pointer").asText(), problem::toString);
        assertEquals(1, api.get("/v1/vibes/" + id).expect(200).json().get("solution").asInt(), "nothing was written");
        assertEquals(first.get("refinement"), api.post("/v1/refinements", body.formatted(key, id, "1")).expect(200)
                .json().get("refinement"), "the same body still answers the first result");
    }

    @Test
    void aRefineOfUnchangedContentAnswers200WithoutARefinement() {
        // given
        String id = unique("same");
        api.post("/v1/refinements", refineBody(id, "{}")).expect(201);

        // when
        JsonNode body = api.post("/v1/refinements", refineBody(id, "{}")).expect(200).json();

        // then
        assertTrue(body.get("refinement").isNull());
        assertTrue(body.at("/vibes/0/unchanged").asBoolean());
        assertEquals("main@" + id + "?1", body.at("/vibes/0/ref").asText());
    }

    @Test
    void aDryRunAnswersWhatWouldBeWrittenAndItsImpactAndWritesNothing() {
        // given a vibe whose schema floats on another's
        String base = unique("base");
        String user = unique("user");
        api.post("/v1/refinements", refineBody(base, "{\"age\": 1}")).expect(201);
        api.post("/v1/refinements", """
                {"branch": "main", "vibes": [{"id": "%s", "kind": "RECORD",
                 "schema": {"$ref": "aug:/%s"}, "solution": {"age": 7}}]}
                """.formatted(user, base)).expect(201);

        // when the base's schema would change so that the dependent's solution breaks
        Api.Reply reply = api.post("/v1/refinements", """
                {"branch": "main", "dryRun": true, "vibes": [{"id": "%s", "kind": "RECORD",
                 "schema": {"type": "object", "properties": {"age": {"type": "string"}}}, "solution": {"age": "x"}}]}
                """.formatted(base)).expect(200);

        // then
        JsonNode body = reply.json();
        assertTrue(body.get("dryRun").asBoolean());
        assertEquals("main@" + base + "?2", body.at("/vibes/0/ref").asText());
        assertTrue(body.at("/vibes/0/refinementId").isNull());
        JsonNode dependent = body.at("/impact/0/dependents/0");
        assertEquals(base, body.at("/impact/0/id").asText());
        assertTrue(body.at("/impact/0/truncated").isBoolean() && !body.at("/impact/0/truncated").asBoolean());
        assertEquals("main@" + user + "?1", dependent.get("ref").asText());
        assertEquals(1, dependent.get("depth").asInt());
        assertTrue(dependent.get("floating").asBoolean());
        assertFalse(dependent.get("stillValid").asBoolean());
        assertEquals("/age", dependent.at("/errors/0/pointer").asText());
        api.get("/v1/vibes/" + base + "?revision=2").problem(404);
    }

    @Test
    void aStaleBaseAnswers409WithTheCurrentHead() {
        // given
        String id = unique("stale");
        api.post("/v1/refinements", refineBody(id, "{\"age\": 1}")).expect(201);
        api.post("/v1/refinements", refineBody(id, "{\"age\": 2}")).expect(201);

        // when
        JsonNode problem = api.post("/v1/refinements", """
                {"branch": "main", "vibes": [{"id": "%s", "kind": "RECORD", "base": "main@%s?1", "solution": 3}]}
                """.formatted(id, id)).problem(409);

        // then
        assertEquals("main@" + id + "?2", problem.get("currentHead").asText());
        assertEquals("main@" + id + "?1", problem.get("base").asText());
        assertEquals("urn:refinery:problem:stale-base", problem.get("type").asText());
    }

    @Test
    void aMatchingBaseWritesTheNextRevision() {
        // given
        String id = unique("based");
        api.post("/v1/refinements", refineBody(id, "{\"age\": 1}")).expect(201);

        // when
        JsonNode body = api.post("/v1/refinements", """
                {"branch": "main", "vibes": [{"id": "%s", "kind": "RECORD", "base": "main@%s?1", "solution": 3}]}
                """.formatted(id, id)).expect(201).json();

        // then
        assertEquals("main@" + id + "?2", body.at("/vibes/0/ref").asText());
        assertEquals("main@" + id + "?1", body.at("/refinement/targetRefs/0").asText());
    }

    @Test
    void aSolutionThatBreaksItsSchemaAnswers422PointingAtIt() {
        // when
        JsonNode problem = api.post("/v1/refinements", refineBody(unique("bad"), "{\"age\": \"old\"}")).problem(422);

        // then
        assertEquals("/vibes/0/solution/age", problem.at("/errors/0/pointer").asText());
        assertFalse(problem.at("/errors/0/message").asText().isEmpty());
    }

    @Test
    void anUnknownBranchAnswers404() {
        JsonNode problem = api.post("/v1/refinements", """
                {"branch": "nowhere", "vibes": [{"id": "x", "kind": "RECORD"}]}""").problem(404);
        assertTrue(problem.get("detail").asText().contains("nowhere"), problem::toString);
    }

    @Test
    void anUnknownTargetAnswers404() {
        api.post("/v1/refinements", """
                {"branch": "main", "targets": ["main@does/not-exist?1"], "vibes": [{"id": "x", "kind": "RECORD"}]}
                """).problem(404);
    }

    @Test
    void aRefinementIsReadByIdAndAnUnknownOneIs404() {
        // given
        long id = api.post("/v1/refinements", refineBody(unique("one"), "{}")).expect(201).json()
                .at("/refinement/id").asLong();

        // then
        assertEquals(id, api.get("/v1/refinements/" + id).expect(200).json().get("id").asLong());
        api.get("/v1/refinements/999999").problem(404);
        api.get("/v1/refinements/abc").problem(400);
        api.get("/v1/refinements/0").problem(400);
    }

    @Test
    void theLogIsPagedNewestFirstWithAnOpaqueCursor() {
        // given three refinements on a branch of their own
        String branch = unique("log");
        api.post("/v1/branches", "{\"name\": \"" + branch + "\", \"from\": \"main\"}").expect(201);
        List<Long> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            written.add(api.post("/v1/refinements", """
                    {"branch": "%s", "vibes": [{"id": "log/x%d", "kind": "RECORD"}]}""".formatted(branch, i))
                    .expect(201).json().at("/refinement/id").asLong());
        }

        // when
        JsonNode first = api.get("/v1/refinements?limit=2&branch=" + q(branch)).expect(200).json();
        JsonNode second = api.get("/v1/refinements?limit=2&branch=" + q(branch) + "&cursor="
                + q(first.get("nextCursor").asText())).expect(200).json();

        // then
        assertEquals(written.get(2), first.at("/items/0/id").asLong());
        assertEquals(written.get(1), first.at("/items/1/id").asLong());
        assertEquals(written.get(0), second.at("/items/0/id").asLong());
        assertEquals(1, second.get("items").size());
        assertTrue(second.get("nextCursor").isNull());
    }

    @Test
    void theLogFiltersByAuthor() {
        JsonNode page = api.get("/v1/refinements?author=" + q(AuthFilter.ROOT_ROLE.toString())).expect(200).json();
        assertFalse(page.get("items").isEmpty());
        page.get("items").forEach(r -> assertEquals(AuthFilter.ROOT_ROLE.toString(), r.get("authorRef").asText()));
        assertEquals(0, api.get("/v1/refinements?author=" + q("main@roles/nobody?1")).expect(200).json()
                .get("items").size());
    }

    @Test
    void badListingParametersAnswer400() {
        api.get("/v1/refinements?limit=0").problem(400);
        api.get("/v1/refinements?limit=1001").problem(400);
        api.get("/v1/refinements?limit=ten").problem(400);
        api.get("/v1/refinements?cursor=not-a-cursor").problem(400);
        api.get("/v1/refinements?author=nobody").problem(400);
        api.get("/v1/refinements?branch=" + q("-bad")).problem(400);
    }
}
