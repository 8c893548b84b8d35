package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import static dev.refinery.adapters.http.Api.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read side: vibes, heads, resolve, history, schemas, the dependency graph and provenance. */
@ServerTest
class ReadsApiTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private final Api api;

    ReadsApiTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode write(String id, String schema, String solution) {
        return api.post("/v1/refinements", """
                {"branch": "main", "vibes": [{"id": "%s", "kind": "RECORD", "schema": %s, "solution": %s}]}
                """.formatted(id, schema, solution)).expect(201).json().at("/vibes/0");
    }

    // ---- GET /v1/vibes/{id} ------------------------------------------------------------------

    @Test
    void aVibeIsReadByItsIdWhichIsTheTailOfThePath() {
        // given
        String id = unique("schemas/deep/er");
        JsonNode written = write(id, "{}", "{\"n\": 1}");

        // when
        Api.Reply reply = api.get("/v1/vibes/" + id).expect(200);

        // then
        assertEquals(((com.fasterxml.jackson.databind.node.ObjectNode) written.deepCopy()).without("unchanged"), reply.json());
        assertEquals("\"" + written.get("digest").asText() + "\"", reply.header("ETag").orElseThrow());
    }

    @Test
    void aMatchingIfNoneMatchAnswers304() {
        // given
        String id = unique("etag");
        String etag = api.get("/v1/vibes/" + write(id, "{}", "1").get("id").asText()).expect(200)
                .header("ETag").orElseThrow();

        // when / then
        Api.Reply notModified = api.get("/v1/vibes/" + id, "If-None-Match", etag).expect(304);
        assertEquals(etag, notModified.header("ETag").orElseThrow());
        assertTrue(notModified.body().isEmpty());
        api.get("/v1/vibes/" + id, "If-None-Match", "\"sha256:other\", W/" + etag).expect(304);
        api.get("/v1/vibes/" + id, "If-None-Match", "*").expect(304);
        api.get("/v1/vibes/" + id, "If-None-Match", "\"sha256:other\"").expect(200);
    }

    @Test
    void aRevisionOrATimeSelectsAnOlderRevision() throws InterruptedException {
        // given
        String id = unique("revs");
        write(id, "{}", "1");
        Thread.sleep(5);
        Instant between = Instant.now();
        Thread.sleep(5);
        write(id, "{}", "2");

        // then
        assertEquals(2, api.get("/v1/vibes/" + id).expect(200).json().get("solution").asInt());
        assertEquals(1, api.get("/v1/vibes/" + id + "?revision=1").expect(200).json().get("solution").asInt());
        assertEquals(1, api.get("/v1/vibes/" + id + "?asOf=" + q(between.toString())).expect(200).json()
                .get("solution").asInt());
        api.get("/v1/vibes/" + id + "?revision=3").problem(404);
    }

    @Test
    void unknownOrMalformedVibesAreAnsweredWithProblems() {
        api.get("/v1/vibes/no/such/vibe").problem(404);
        api.get("/v1/vibes/" + unique("x") + "?branch=nowhere").problem(404);
        JsonNode badId = api.get("/v1/vibes/schemas/.hidden").problem(400);
        assertTrue(badId.get("detail").asText().contains("vibe id"), badId::toString);
        api.get("/v1/vibes/schemas/user?revision=0").problem(400);
        api.get("/v1/vibes/schemas/user?revision=one").problem(400);
        api.get("/v1/vibes/schemas/user?asOf=yesterday").problem(400);
        api.get("/v1/vibes/schemas/user?branch=" + q("dev//x")).problem(400);
    }

    // ---- GET /v1/vibes -----------------------------------------------------------------------

    @Test
    void headsArePagedByIdUnderAPrefix() {
        // given
        String prefix = unique("paged");
        for (String leaf : new String[]{"a", "b", "c"}) write(prefix + "/" + leaf, "{}", "1");

        // when
        JsonNode first = api.get("/v1/vibes?prefix=" + q(prefix) + "&limit=2").expect(200).json();
        JsonNode second = api.get("/v1/vibes?prefix=" + q(prefix) + "&limit=2&cursor="
                + q(first.get("nextCursor").asText())).expect(200).json();

        // then
        assertEquals(prefix + "/a", first.at("/items/0/id").asText());
        assertEquals(prefix + "/b", first.at("/items/1/id").asText());
        assertEquals(prefix + "/c", second.at("/items/0/id").asText());
        assertTrue(second.get("nextCursor").isNull());
    }

    @Test
    void headsAreFilteredByKind() {
        JsonNode roles = api.get("/v1/vibes?kind=ROLE").expect(200).json();
        assertFalse(roles.get("items").isEmpty());
        roles.get("items").forEach(v -> assertEquals("ROLE", v.get("kind").asText()));
        api.get("/v1/vibes?kind=role").problem(400);
        api.get("/v1/vibes?branch=nowhere").problem(404);
        api.get("/v1/vibes?cursor=garbage").problem(400);
    }

    // ---- GET /v1/resolve ---------------------------------------------------------------------

    @Test
    void anAugUriResolvesToTheVibeItPointsAt() {
        // given
        String id = unique("resolved");
        write(id, "{}", "1");
        write(id, "{}", "2");

        // then
        assertEquals(2, api.get("/v1/resolve?uri=" + q("aug:/" + id)).expect(200).json().get("revision").asInt());
        assertEquals(1, api.get("/v1/resolve?uri=" + q("aug:/" + id + "?1")).expect(200).json().get("revision").asInt());
        assertEquals(1, api.get("/v1/resolve?uri=" + q("aug:main@" + id + "?1")).expect(200).json()
                .get("revision").asInt());
        api.get("/v1/resolve?uri=" + q("aug:/" + id + "?9")).problem(404);
    }

    @Test
    void aBadAugUriAnswers422WithTheReason() {
        JsonNode problem = api.get("/v1/resolve?uri=" + q("aug:schemas/user")).problem(422);
        assertTrue(problem.get("detail").asText().contains("aug URI"), problem::toString);
        api.get("/v1/resolve?uri=" + q("http://example.com")).problem(422);
        api.get("/v1/resolve").problem(400);
    }

    // ---- GET /v1/history/{id} ----------------------------------------------------------------

    @Test
    void historyIsNewestFirstAPageAtATime() {
        // given
        String id = unique("hist");
        for (int i = 1; i <= 3; i++) write(id, "{}", Integer.toString(i));

        // when
        JsonNode first = api.get("/v1/history/" + id + "?limit=2").expect(200).json();
        JsonNode second = api.get("/v1/history/" + id + "?limit=2&cursor=" + q(first.get("nextCursor").asText()))
                .expect(200).json();

        // then
        assertEquals(3, first.at("/items/0/revision").asInt());
        assertEquals(2, first.at("/items/1/revision").asInt());
        assertEquals(1, second.at("/items/0/revision").asInt());
        assertTrue(second.get("nextCursor").isNull());
        api.get("/v1/history/no/such/id").problem(404);
    }

    // ---- GET /v1/schemas/{id} ----------------------------------------------------------------

    @Test
    void aSchemaIsReadStampedBundledOrInlined() {
        // given
        String base = unique("sbase");
        String user = unique("suser");
        write(base, "{\"type\": \"object\"}", "{}");
        write(user, "{\"$ref\": \"aug:/" + base + "\"}", "{}");

        // when
        JsonNode stamped = api.get("/v1/schemas/" + user).expect(200).json();
        JsonNode bundled = api.get("/v1/schemas/" + user + "?mode=bundled").expect(200).json();
        JsonNode inlined = api.get("/v1/schemas/" + user + "?mode=inlined&revision=1").expect(200).json();

        // then
        assertEquals("main@" + user + "?1", stamped.get("ref").asText());
        assertEquals("stamped", stamped.get("mode").asText());
        assertEquals("main@" + base + "?1", stamped.at("/schema/$refResolved").asText());
        assertEquals("bundled", bundled.get("mode").asText());
        assertTrue(bundled.at("/schema/$defs").isObject(), bundled::toString);
        assertEquals("object", inlined.at("/schema/type").asText());
        api.get("/v1/schemas/" + user + "?mode=flat").problem(400);
        api.get("/v1/schemas/no/such").problem(404);
    }

    // ---- the graph ---------------------------------------------------------------------------

    @Test
    void dependenciesDependentsAndImpactFollowSchemaReferences() {
        // given user -> base (floating), and pinned -> base?1
        String base = unique("gbase");
        String user = unique("guser");
        String pinned = unique("gpinned");
        write(base, "{}", "{}");
        write(user, "{\"$ref\": \"aug:/" + base + "\"}", "{}");
        write(pinned, "{\"$refOriginal\": \"aug:/" + base + "?1\"}", "{}");

        // when
        JsonNode dependencies = api.get("/v1/dependencies/" + user).expect(200).json();
        JsonNode dependents = api.get("/v1/dependents/" + base + "?revision=1&transitive=true").expect(200).json();
        JsonNode impact = api.get("/v1/impact/" + base + "?branch=main").expect(200).json();

        // then
        assertEquals("main@" + base + "?1", dependencies.at("/items/0/ref").asText());
        assertEquals("schema", dependencies.at("/items/0/type").asText());
        assertFalse(dependencies.at("/items/0/pinned").asBoolean());
        assertEquals(1, dependencies.at("/items/0/depth").asInt());
        assertEquals(2, dependents.get("items").size(), dependents::toString);
        assertEquals(2, impact.get("items").size(), impact::toString);
        impact.get("items").forEach(i -> assertEquals(
                i.get("ref").asText().contains(user), i.get("floating").asBoolean(), i::toString));
        api.get("/v1/dependencies/no/such").problem(404);
        api.get("/v1/dependents/no/such").problem(404);
        api.get("/v1/impact/no/such").problem(404);
        api.get("/v1/dependencies/" + user + "?transitive=yes").problem(400);
        assertTrue(dependents.get("nextCursor").isNull(), dependents::toString);
        assertTrue(impact.get("nextCursor").isNull(), impact::toString);
    }

    @Test
    void dependentsAndImpactComeAPageAtATime() {
        // given five vibes using a schema
        String base = unique("pbase");
        write(base, "{}", "{}");
        for (int i = 0; i < 5; i++) write(base + "/user" + i, "{\"$ref\": \"aug:/" + base + "\"}", "{}");

        // when
        JsonNode first = api.get("/v1/dependents/" + base + "?limit=2").expect(200).json();
        JsonNode second = api.get("/v1/dependents/" + base + "?limit=2&cursor=" + q(first.get("nextCursor").asText()))
                .expect(200).json();
        JsonNode impact = api.get("/v1/impact/" + base + "?limit=4").expect(200).json();
        JsonNode impactRest = api.get("/v1/impact/" + base + "?limit=4&cursor=" + q(impact.get("nextCursor").asText()))
                .expect(200).json();

        // then
        assertEquals("main@" + base + "/user0?1", first.at("/items/0/ref").asText());
        assertEquals("main@" + base + "/user1?1", first.at("/items/1/ref").asText());
        assertEquals("main@" + base + "/user2?1", second.at("/items/0/ref").asText());
        assertFalse(second.get("nextCursor").isNull(), second::toString);
        assertEquals(4, impact.get("items").size(), impact::toString);
        assertEquals(1, impactRest.get("items").size(), impactRest::toString);
        assertEquals("main@" + base + "/user4?1", impactRest.at("/items/0/ref").asText());
        assertTrue(impactRest.get("nextCursor").isNull(), impactRest::toString);
        assertEquals(5, api.get("/v1/dependents/" + base).expect(200).json().get("items").size(), "100 by default");
    }

    @Test
    void aBadLimitOrCursorOfTheGraphIsA400() {
        String base = unique("qbase");
        write(base, "{}", "{}");
        for (String path : new String[] {"/v1/dependents/", "/v1/dependencies/", "/v1/impact/"}) {
            for (String query : new String[] {"limit=0", "limit=1001", "limit=ten", "limit=-1", "cursor=garbage",
                    "limit=1&limit=2"}) {
                api.get(path + base + "?" + query).problem(400);
            }
        }
        write(base + "/u", "{\"$ref\": \"aug:/" + base + "\"}", "{}");
        write(base + "/v", "{\"$ref\": \"aug:/" + base + "\"}", "{}");
        String cursor = api.get("/v1/dependents/" + base + "?limit=1").expect(200).json().get("nextCursor").asText();
        api.get("/v1/impact/" + base + "?cursor=" + q(cursor)).problem(400);
        api.get("/v1/dependencies/" + base + "?cursor=" + q(cursor)).problem(400);
        api.get("/v1/dependents/" + base + "?cursor=" + q(cursor)).expect(200);
    }

    @Test
    void provenanceNamesTheRefinementAuthorAndInputs() {
        // given
        String input = unique("pin");
        String output = unique("pout");
        write(input, "{}", "{}");
        api.post("/v1/refinements", """
                {"branch": "main", "targets": ["main@%s?1"],
                 "vibes": [{"id": "%s", "kind": "RECORD", "prototype": "main@%s?1"}]}
                """.formatted(input, output, input)).expect(201);

        // when
        JsonNode provenance = api.get("/v1/provenance/" + output).expect(200).json();

        // then
        assertEquals("main@" + output + "?1", provenance.at("/vibe/ref").asText());
        assertEquals(provenance.at("/vibe/refinementId").asLong(), provenance.at("/refinement/id").asLong());
        assertEquals(AuthFilter.ROOT_ROLE.toString(), provenance.at("/author/ref").asText());
        assertEquals("main@" + input + "?1", provenance.at("/prototype/ref").asText());
        assertEquals("main@" + input + "?1", provenance.at("/inputs/0/ref").asText());
        api.get("/v1/provenance/no/such").problem(404);
    }
}
