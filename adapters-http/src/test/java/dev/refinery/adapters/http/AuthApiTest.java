package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.auth.Scope;
import dev.refinery.domain.VibeRef;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code auth.mode=token}: who may call, with which scope, and who authors the writes. */
@ServerTest
class AuthApiTest {
    private static final TestApp APP = new TestApp(HttpSettings.defaults());
    private static final String ADMIN = APP.token(AuthFilter.ROOT_ROLE, Scope.ADMIN);
    private static final String READER = APP.token(AuthFilter.ROOT_ROLE, Scope.READ);
    private static final String WRITER = APP.token(AuthFilter.ROOT_ROLE, Scope.WRITE);

    private final URI uri;

    AuthApiTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    private Api as(String token) {
        return new Api(uri).as(token);
    }

    private static String refineBody(String id) {
        return refineBody("main", id);
    }

    private static String refineBody(String branch, String id) {
        return "{\"branch\": \"" + branch + "\", \"vibes\": [{\"id\": \"" + id + "\", \"kind\": \"RECORD\"}]}";
    }

    /** A new branch, forked from main by the admin. */
    private String fork(String prefix) {
        String name = prefix + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN).post("/v1/branches", "{\"name\": \"" + name + "\"}").expect(201);
        return name;
    }

    @Test
    void withoutATokenEveryV1CallAnswers401WithABearerChallenge() {
        Api anonymous = as(null);
        for (Api.Reply reply : new Api.Reply[]{anonymous.get("/v1/vibes"), anonymous.get("/v1/branches/main"),
                anonymous.post("/v1/refinements", refineBody("x")), anonymous.get("/v1/nothing/here")}) {
            reply.problem(401);
            assertEquals("Bearer realm=\"refinery\"", reply.header("WWW-Authenticate").orElseThrow());
        }
    }

    @Test
    void anUnknownOrMalformedTokenAnswers401() {
        Api.Reply unknown = as("rfy_" + "A".repeat(43)).get("/v1/vibes");
        unknown.problem(401);
        assertTrue(unknown.header("WWW-Authenticate").orElseThrow().contains("error=\"invalid_token\""));
        new Api(uri).get("/v1/vibes", "Authorization", "Basic dXNlcjpwYXNz").problem(401);
        new Api(uri).get("/v1/vibes", "Authorization", "Bearer").problem(401);
    }

    @Test
    void aReadTokenReadsButCannotWrite() {
        as(READER).get("/v1/vibes").expect(200);
        Api.Reply refused = as(READER).post("/v1/refinements", refineBody("r"));
        refused.problem(403);
        assertTrue(refused.header("WWW-Authenticate").orElseThrow().contains("error=\"insufficient_scope\""));
        as(READER).post("/v1/branches", "{\"name\": \"r\"}").problem(403);
    }

    @Test
    void aWriteTokenWritesButCannotRead() {
        as(WRITER).post("/v1/refinements", refineBody(fork("dev/"), "w/" + UUID.randomUUID())).expect(201);
        as(WRITER).get("/v1/vibes").problem(403);
    }

    @Test
    void anAdminTokenDoesBoth() {
        as(ADMIN).post("/v1/refinements", refineBody("a/" + UUID.randomUUID())).expect(201);
        as(ADMIN).get("/v1/vibes").expect(200);
    }

    @Test
    void theAuthorOfEveryWriteIsTheTokensRole() {
        // given a ROLE vibe and a token for it
        String roleId = "roles/" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN).post("/v1/refinements", "{\"branch\": \"main\", \"vibes\": [{\"id\": \"" + roleId
                + "\", \"kind\": \"ROLE\"}]}").expect(201);
        VibeRef role = VibeRef.of("main", roleId, 1);
        Api alice = as(APP.token(role, Scope.READ, Scope.WRITE));

        // when
        String branch = "alice/" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode forked = alice.post("/v1/branches", "{\"name\": \"" + branch + "\"}").expect(201).json();
        JsonNode refined = alice.post("/v1/refinements", refineBody(branch, "by/" + UUID.randomUUID())).expect(201).json();
        String target = branch + "-target";
        alice.post("/v1/branches", "{\"name\": \"" + target + "\"}").expect(201);
        JsonNode merged = alice.post("/v1/merges", "{\"source\": \"" + branch + "\", \"target\": \"" + target + "\"}")
                .expect(201).json();

        // then
        assertEquals(role.toString(), refined.at("/refinement/authorRef").asText());
        assertEquals(role.toString(), refined.at("/vibes/0/authorRef").asText());
        assertEquals(role.toString(), forked.get("createdBy").asText());
        assertEquals(role.toString(), merged.at("/refinement/authorRef").asText());
    }

    @Test
    void idempotencyKeysAreEachAuthorsOwn() {
        // given a second role, and a refine by the root role with a key
        String roleId = "roles/" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN).post("/v1/refinements", "{\"branch\": \"main\", \"vibes\": [{\"id\": \"" + roleId
                + "\", \"kind\": \"ROLE\"}]}").expect(201);
        Api bob = as(APP.token(VibeRef.of("main", roleId, 1), Scope.READ, Scope.WRITE));
        String key = UUID.randomUUID().toString();
        String body = "{\"branch\": \"" + fork("dev/") + "\", \"idempotencyKey\": \"" + key
                + "\", \"vibes\": [{\"id\": \"%s\", \"kind\": \"RECORD\"}]}";
        JsonNode roots = as(WRITER).post("/v1/refinements", body.formatted("k/" + UUID.randomUUID())).expect(201).json();

        // when the other role uses the same key
        JsonNode bobs = bob.post("/v1/refinements", body.formatted("k/" + UUID.randomUUID())).expect(201).json();

        // then it wrote its own refinement, and saw nothing of the root role's
        assertEquals("main@" + roleId + "?1", bobs.at("/refinement/authorRef").asText(), bobs::toString);
        assertTrue(bobs.at("/refinement/id").asLong() != roots.at("/refinement/id").asLong(), bobs::toString);
    }

    @Test
    void processRoutesNeedATokenReadsNeedReadAndStartsAndCancelsNeedWrite() {
        // given
        String run = UUID.randomUUID().toString();
        String start = "{\"process\": \"aug:/processes/none\", \"branch\": \"" + fork("dev/") + "\"}";

        // then without a token
        as(null).get("/v1/processes").problem(401);
        as(null).get("/v1/processes/" + run).problem(401);
        as(null).post("/v1/processes", start).problem(401);
        as(null).post("/v1/processes/" + run + "/cancel", "{}").problem(401);
        // a reader reads, but neither starts nor cancels
        as(READER).get("/v1/processes").expect(200);
        as(READER).get("/v1/processes/" + run).problem(404);
        as(READER).post("/v1/processes", start).problem(403);
        as(READER).post("/v1/processes/" + run + "/cancel", "{}").problem(403);
        // a writer starts and cancels (past the door: there is no such process or run), but does not read
        as(WRITER).post("/v1/processes", start).problem(404);
        as(WRITER).post("/v1/processes/" + run + "/cancel", "{}").problem(404);
        as(WRITER).get("/v1/processes").problem(403);
    }

    @Test
    void aRunIsStartedByTheTokensRole() {
        // given a ROLE, a process, and a token for the role
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String roleId = "roles/starter-" + suffix;
        as(ADMIN).post("/v1/refinements", """
                {"branch": "main", "vibes": [
                  {"id": "%s", "kind": "ROLE"},
                  {"id": "capabilities/echo-%s", "kind": "CAPABILITY", "context": {"executor": "builtin", "function": "echo"}},
                  {"id": "processes/echo-%s", "kind": "PROCESS",
                   "context": {"steps": [{"name": "echo", "capability": "aug:/capabilities/echo-%s"}],
                               "result": {"$from": "/steps/echo/output"}}}]}""".formatted(roleId, suffix, suffix, suffix))
                .expect(201);
        VibeRef role = VibeRef.of("main", roleId, 1);
        Api starter = as(APP.token(role, Scope.READ, Scope.WRITE));

        // when
        String id = starter.post("/v1/processes", "{\"process\": \"aug:/processes/echo-" + suffix + "\", \"branch\": \""
                        + fork("runs/") + "\"}").expect(202).json().get("id").asText();

        // then
        assertEquals(role.toString(), starter.get("/v1/processes/" + id).expect(200).json().get("authorRef").asText());
    }

    @Test
    void aRunIsCancelledOnlyByATokenThatMayWriteItsBranch() {
        // given a process, and a run of it on main that an admin started
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN).post("/v1/refinements", """
                {"branch": "main", "vibes": [
                  {"id": "capabilities/echo-%s", "kind": "CAPABILITY", "context": {"executor": "builtin", "function": "echo"}},
                  {"id": "processes/echo-%s", "kind": "PROCESS",
                   "context": {"steps": [{"name": "echo", "capability": "aug:/capabilities/echo-%s"}],
                               "result": {"$from": "/steps/echo/output"}}}]}""".formatted(suffix, suffix, suffix))
                .expect(201);
        String run = as(ADMIN).post("/v1/processes", "{\"process\": \"aug:/processes/echo-" + suffix + "\"}")
                .expect(202).json().get("id").asText();
        Api feature = as(APP.token(AuthFilter.ROOT_ROLE, java.util.List.of("feature/*"), Scope.READ, Scope.WRITE));

        // when / then
        feature.post("/v1/processes/" + run + "/cancel", "{}").problem(403);
        as(WRITER).post("/v1/processes/" + run + "/cancel", "{}").problem(403);
        assertEquals("RUNNING", as(ADMIN).get("/v1/processes/" + run).expect(200).json().get("status").asText());
        as(ADMIN).post("/v1/processes/" + run + "/cancel", "{}").expect(202);
    }

    @Test
    void aWriteTokenNeitherRefinesNorMergesNorRunsOnProtectedMain() {
        // given
        String dev = fork("dev/");
        as(WRITER).post("/v1/refinements", refineBody(dev, "d/" + UUID.randomUUID())).expect(201);

        // when / then
        JsonNode refused = as(WRITER).post("/v1/refinements", refineBody("p/" + UUID.randomUUID())).problem(403);
        assertTrue(refused.get("detail").asText().contains("protected"), refused.toString());
        as(WRITER).post("/v1/merges", "{\"source\": \"" + dev + "\", \"target\": \"main\"}").problem(403);
        as(WRITER).post("/v1/processes", "{\"process\": \"aug:/processes/none\", \"branch\": \"main\"}").problem(403);
        as(ADMIN).post("/v1/merges", "{\"source\": \"" + dev + "\", \"target\": \"main\"}").expect(201);
    }

    @Test
    void aFeatureTokenWritesOnlyFeatureBranches() {
        // given
        Api feature = as(APP.token(AuthFilter.ROOT_ROLE, java.util.List.of("feature/*"), Scope.READ, Scope.WRITE));
        String mine = "feature/" + UUID.randomUUID().toString().substring(0, 8);
        String other = fork("dev/");

        // when / then it forks, refines and merges within feature/*
        feature.post("/v1/branches", "{\"name\": \"" + mine + "\"}").expect(201);
        feature.post("/v1/refinements", refineBody(mine, "f/" + UUID.randomUUID())).expect(201);
        feature.post("/v1/branches", "{\"name\": \"" + mine + "-2\", \"from\": \"" + other + "\"}").expect(201);
        feature.post("/v1/merges", "{\"source\": \"" + other + "\", \"target\": \"" + mine + "\"}").expect(201);
        // and writes nothing else
        JsonNode onMain = feature.post("/v1/refinements", refineBody("f/" + UUID.randomUUID())).problem(403);
        assertTrue(onMain.get("detail").asText().contains("feature/*"), onMain.toString());
        feature.post("/v1/refinements", refineBody(other, "f/" + UUID.randomUUID())).problem(403);
        feature.post("/v1/branches", "{\"name\": \"dev/" + UUID.randomUUID().toString().substring(0, 8) + "\"}").problem(403);
        feature.post("/v1/merges", "{\"source\": \"" + mine + "\", \"target\": \"main\"}").problem(403);
        feature.post("/v1/merges", "{\"source\": \"" + mine + "\", \"target\": \"" + other + "\"}").problem(403);
        feature.post("/v1/processes", "{\"process\": \"aug:/processes/none\", \"branch\": \"" + other + "\"}").problem(403);
        // but reads anywhere
        feature.get("/v1/vibes?branch=main").expect(200);
    }

    @Test
    void onlyAnAdminListsTokensAndTheListHoldsNoSecret() {
        // given
        String limited = APP.token(AuthFilter.ROOT_ROLE, java.util.List.of("feature/*"), Scope.WRITE);

        // when
        JsonNode listed = as(ADMIN).get("/v1/tokens").expect(200).json();

        // then
        JsonNode item = null;
        for (JsonNode i : listed.get("items")) {
            if (i.get("id").asText().equals(idOf(limited))) item = i;
        }
        assertTrue(item != null, listed::toString);
        assertEquals("main@roles/root?1", item.get("role").asText());
        assertEquals("[\"write\"]", item.get("scopes").toString());
        assertEquals("[\"feature/*\"]", item.get("branches").toString());
        assertEquals("test", item.get("label").asText());
        assertTrue(item.get("expiresAt").isNull());
        assertFalse(item.get("revoked").asBoolean());
        for (String secret : new String[]{ADMIN, READER, WRITER, limited}) {
            assertFalse(listed.toString().contains(secret.substring(4, 20)), "a secret is listed");
        }
        as(READER).get("/v1/tokens").problem(403);
        as(WRITER).get("/v1/tokens").problem(403);
        as(null).get("/v1/tokens").problem(401);
    }

    @Test
    void aRevokedTokenIsRefusedAtOnce() {
        // given
        String doomed = APP.token(AuthFilter.ROOT_ROLE, Scope.READ);
        as(doomed).get("/v1/vibes").expect(200);

        // when / then only an admin revokes
        as(WRITER).method("DELETE", "/v1/tokens/" + idOf(doomed)).problem(403);
        as(doomed).get("/v1/vibes").expect(200);
        as(ADMIN).method("DELETE", "/v1/tokens/" + idOf(doomed)).expect(204);
        as(doomed).get("/v1/vibes").problem(401);
        as(ADMIN).method("DELETE", "/v1/tokens/" + idOf(doomed)).expect(204);
        as(ADMIN).method("DELETE", "/v1/tokens/0123456789abcdef").problem(404);
        as(ADMIN).method("DELETE", "/v1/tokens/nope").problem(404);
        JsonNode listed = as(ADMIN).get("/v1/tokens").expect(200).json();
        for (JsonNode i : listed.get("items")) {
            if (i.get("id").asText().equals(idOf(doomed))) assertTrue(i.get("revoked").asBoolean(), i::toString);
        }
    }

    private static String idOf(String token) {
        return dev.refinery.application.auth.TokenId.of(dev.refinery.application.auth.TokenHash.of(token)).value();
    }

    @Test
    void aBodyCannotClaimAnotherAuthor() {
        JsonNode problem = as(ADMIN).post("/v1/refinements", "{\"branch\": \"main\", \"author\": \"main@roles/x?1\","
                + " \"vibes\": [{\"id\": \"x\", \"kind\": \"RECORD\"}]}").problem(400);
        assertEquals("/author", problem.at("/errors/0/pointer").asText());
    }

    @Test
    void noSpellingOfAV1PathSlipsPastTheToken() throws java.io.IOException {
        for (String path : new String[]{"//v1/vibes", "/./v1/vibes", "/x/../v1/vibes", "/%2e/v1/vibes",
                "/v1/./vibes", "/%76%31/vibes", "/v1//vibes", "/v1/vibes/../branches"}) {
            try (RawHttp raw = new RawHttp(uri)) {
                String response = raw.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .response();
                int status = RawHttp.status(response);
                assertTrue(status == 401 || status == 404 || status == 400, () -> path + " answered " + response);
            }
        }
    }

    @Test
    void operationsEndpointsNeedNoToken() {
        Api anonymous = as(null);
        anonymous.get("/observe/health").expect(200);
        anonymous.get("/observe/metrics").expect(200);
        anonymous.get("/openapi").expect(200);
        assertFalse(anonymous.get("/openapi").body().isEmpty());
    }
}
