package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static dev.refinery.adapters.http.Api.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /v1/branches}, {@code /v1/diff} and {@code /v1/merges}. */
@ServerTest
class BranchesApiTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private final Api api;

    BranchesApiTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String fork(String from) {
        String name = unique("dev");
        api.post("/v1/branches", "{\"name\": \"" + name + "\", \"from\": \"" + from + "\"}").expect(201);
        return name;
    }

    private void write(String branch, String id, String solution) {
        api.post("/v1/refinements", """
                {"branch": "%s", "vibes": [{"id": "%s", "kind": "RECORD", "solution": %s}]}
                """.formatted(branch, id, solution)).expect(201);
    }

    // ---- branches ----------------------------------------------------------------------------

    @Test
    void aForkAnswers201WithTheBranchItsBaseAndForkPoint() {
        // when
        String name = unique("feature");
        Api.Reply reply = api.post("/v1/branches", "{\"name\": \"" + name + "\", \"from\": \"main\"}").expect(201);

        // then
        JsonNode branch = reply.json();
        assertEquals(name, branch.get("name").asText());
        assertEquals("main", branch.get("base").asText());
        assertTrue(branch.get("forkRefinementId").asLong() >= 1);
        assertEquals(AuthFilter.ROOT_ROLE.toString(), branch.get("createdBy").asText());
        assertEquals("/v1/branches/" + name, reply.header("Location").orElseThrow());
        assertEquals(branch, api.get("/v1/branches/" + name).expect(200).json());
    }

    @Test
    void withoutFromABranchForksMain() {
        String name = unique("nofrom");
        assertEquals("main", api.post("/v1/branches", "{\"name\": \"" + name + "\"}").expect(201).json()
                .get("base").asText());
    }

    @Test
    void forkingAnExistingNameAnswers409() {
        String name = fork("main");
        JsonNode problem = api.post("/v1/branches", "{\"name\": \"" + name + "\", \"from\": \"main\"}").problem(409);
        assertEquals(name, problem.at("/existing/name").asText());
    }

    @Test
    void forkingFromNothingAnswers404AndABadNameAnswers422() {
        api.post("/v1/branches", "{\"name\": \"" + unique("x") + "\", \"from\": \"nowhere\"}").problem(404);
        JsonNode problem = api.post("/v1/branches", "{\"name\": \"bad name\", \"from\": \"main\"}").problem(422);
        assertEquals("/name", problem.at("/errors/0/pointer").asText());
        assertTrue(problem.at("/errors/0/message").asText().contains("branch name"), problem::toString);
        api.post("/v1/branches", "{\"from\": \"main\"}").problem(400);
    }

    @Test
    void allBranchesAreListedAndAnUnknownOneIs404() {
        String name = fork("main");
        JsonNode all = api.get("/v1/branches").expect(200).json();
        assertTrue(all.get("items").findValuesAsText("name").containsAll(java.util.List.of("main", name)), all::toString);
        api.get("/v1/branches/no/such/branch").problem(404);
        api.get("/v1/branches/dev/_x").problem(400);
    }

    // ---- diff --------------------------------------------------------------------------------

    @Test
    void aDiffNamesTheIdsWhoseHeadsDiffer() {
        // given
        String dev = fork("main");
        String id = unique("diffed");
        write(dev, id, "1");

        // when
        JsonNode diff = api.get("/v1/diff?from=main&to=" + q(dev)).expect(200).json();

        // then
        assertEquals(1, diff.get("items").size(), diff::toString);
        assertEquals(id, diff.at("/items/0/id").asText());
        assertTrue(diff.at("/items/0/from").isNull());
        assertEquals(dev + "@" + id + "?1", diff.at("/items/0/to").asText());
        api.get("/v1/diff?from=main&to=nowhere").problem(404);
        api.get("/v1/diff?from=main").problem(400);
    }

    // ---- merges ------------------------------------------------------------------------------

    @Test
    void aMergeOfChangesOnlyOnTheSourceFastForwards() {
        // given
        String dev = fork("main");
        String id = unique("ff");
        write(dev, id, "1");

        // when
        Api.Reply reply = api.post("/v1/merges", "{\"source\": \"" + dev + "\", \"target\": \"main\"}").expect(201);

        // then
        JsonNode body = reply.json();
        assertEquals("merge", body.at("/refinement/kind").asText());
        assertEquals(dev + "@" + id + "?1", body.at("/fastForwarded/0").asText());
        assertEquals(0, body.get("written").size());
        assertEquals(dev + "@" + id + "?1", api.get("/v1/vibes/" + id).expect(200).json().get("ref").asText());
        assertEquals("/v1/refinements/" + body.at("/refinement/id").asLong(), reply.header("Location").orElseThrow());
    }

    @Test
    void changesOnBothSidesAnswer409WithTheConflictsAndAResolutionMerges() {
        // given
        String id = unique("both");
        write("main", id, "0");
        String dev = fork("main");
        write(dev, id, "1");
        write("main", id, "2");

        // when
        JsonNode problem = api.post("/v1/merges", "{\"source\": \"" + dev + "\", \"target\": \"main\"}").problem(409);

        // then
        assertEquals(id, problem.at("/conflicts/0/id").asText());
        assertEquals(dev + "@" + id + "?2", problem.at("/conflicts/0/source").asText());
        assertEquals("main@" + id + "?2", problem.at("/conflicts/0/target").asText());

        // when resolved with a new body
        JsonNode merged = api.post("/v1/merges", """
                {"source": "%s", "target": "main", "message": "settle",
                 "resolutions": {"%s": {"kind": "RECORD", "solution": 3}}}
                """.formatted(dev, id)).expect(201).json();

        // then
        assertEquals("main@" + id + "?3", merged.at("/written/0/ref").asText());
        assertEquals(3, merged.at("/written/0/solution").asInt());
        assertEquals("settle", merged.at("/refinement/message").asText());
    }

    @Test
    void aConflictResolvedWithSourceOrTargetMerges() {
        // given
        String a = unique("take");
        String b = unique("keep");
        write("main", a, "0");
        write("main", b, "0");
        String dev = fork("main");
        write(dev, a, "1");
        write(dev, b, "1");
        write("main", a, "2");
        write("main", b, "2");

        // when
        JsonNode merged = api.post("/v1/merges", """
                {"source": "%s", "target": "main", "resolutions": {"%s": "source", "%s": "target"}}
                """.formatted(dev, a, b)).expect(201).json();

        // then
        assertEquals(1, merged.get("written").size(), merged::toString);
        assertEquals(1, api.get("/v1/vibes/" + a).expect(200).json().get("solution").asInt());
        assertEquals(2, api.get("/v1/vibes/" + b).expect(200).json().get("solution").asInt());
    }

    @Test
    void aRepeatedMergeKeyAnswers200WithTheFirstResult() {
        // given
        String dev = fork("main");
        String id = unique("mkey");
        write(dev, id, "1");
        String body = "{\"source\": \"" + dev + "\", \"target\": \"main\", \"idempotencyKey\": \"" + UUID.randomUUID()
                + "\"}";
        JsonNode first = api.post("/v1/merges", body).expect(201).json();

        // when
        JsonNode again = api.post("/v1/merges", body).expect(200).json();

        // then
        assertEquals(first, again);
    }

    @Test
    void aMergeKeyUsedBeforeForAnotherRequestAnswers422NamingTheFirst() {
        // given a merge and a refine, each with its key
        String dev = fork("main");
        write(dev, unique("mkey"), "1");
        String mergeKey = UUID.randomUUID().toString();
        JsonNode merged = api.post("/v1/merges", "{\"source\": \"" + dev + "\", \"target\": \"main\", "
                + "\"idempotencyKey\": \"" + mergeKey + "\"}").expect(201).json();
        String refineKey = UUID.randomUUID().toString();
        JsonNode refined = api.post("/v1/refinements", "{\"branch\": \"main\", \"idempotencyKey\": \"" + refineKey
                + "\", \"vibes\": [{\"id\": \"" + unique("r") + "\", \"kind\": \"RECORD\"}]}").expect(201).json();
        String other = fork("main");
        write(other, unique("mkey"), "2");

        // when another merge reuses them
        JsonNode reusedMergeKey = api.post("/v1/merges", "{\"source\": \"" + other + "\", \"target\": \"main\", "
                + "\"idempotencyKey\": \"" + mergeKey + "\"}").problem(422);
        JsonNode reusedRefineKey = api.post("/v1/merges", "{\"source\": \"" + other + "\", \"target\": \"main\", "
                + "\"idempotencyKey\": \"" + refineKey + "\"}").problem(422);

        // then
        assertEquals("urn:refinery:problem:idempotency-key-reused", reusedMergeKey.get("type").asText());
        assertEquals(merged.get("refinement"), reusedMergeKey.get("refinement"), reusedMergeKey::toString);
        assertEquals("urn:refinery:problem:idempotency-key-reused", reusedRefineKey.get("type").asText());
        assertEquals(refined.get("refinement"), reusedRefineKey.get("refinement"), reusedRefineKey::toString);
    }

    @Test
    void badMergesAreAnsweredWithProblems() {
        String dev = fork("main");
        api.post("/v1/merges", "{\"source\": \"nowhere\", \"target\": \"main\"}").problem(404);
        api.post("/v1/merges", "{\"source\": \"main\", \"target\": \"main\"}").problem(422);
        api.post("/v1/merges", "{\"source\": \"" + dev + "\"}").problem(400);
        JsonNode unknownResolution = api.post("/v1/merges", """
                {"source": "%s", "target": "main", "resolutions": {"x/y": "theirs"}}""".formatted(dev)).problem(422);
        assertEquals("/resolutions/x~1y", unknownResolution.at("/errors/0/pointer").asText());
        JsonNode noConflict = api.post("/v1/merges", """
                {"source": "%s", "target": "main", "resolutions": {"x/y": "source"}}""".formatted(dev)).problem(422);
        assertEquals("/resolutions/x~1y", noConflict.at("/errors/0/pointer").asText());
        api.post("/v1/merges", """
                {"source": "%s", "target": "main", "resolutions": {"x/y": 7}}""".formatted(dev)).problem(400);
        api.post("/v1/merges", """
                {"source": "%s", "target": "main", "resolutions": {"x/y": {"kind": "RECORD", "id": "x/z"}}}"""
                .formatted(dev)).problem(422);
    }
}
