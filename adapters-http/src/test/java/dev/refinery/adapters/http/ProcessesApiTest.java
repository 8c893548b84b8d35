package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.process.RunUseCases.CompleteOutcome;
import dev.refinery.application.process.RunUseCases.CompleteRun;
import dev.refinery.application.process.RunUseCases.RecordStepOutput;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.refinery.adapters.http.Api.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/processes}: starting, reading, listing and cancelling runs. The engine runs nothing here
 * ({@link RecordingProcessEngine}); a run is moved on through the application's run use cases, as the engine would.
 */
@ServerTest
class ProcessesApiTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private static final String PERSON = """
            {"type": "object", "required": ["name"],
             "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}}}""";
    private static final List<String> RUN_FIELDS = List.of("id", "process", "status", "currentState", "correlationId",
            "lockVersion", "context", "resultRef", "error", "createdAt", "updatedAt");

    private final Api api;

    ProcessesApiTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A one-step process that echoes its input, with an id of its own; answers its id. */
    private String echoProcess() {
        String suffix = unique();
        String capability = "capabilities/echo-" + suffix;
        String process = "processes/echo-" + suffix;
        api.post("/v1/refinements", """
                {"branch": "main", "vibes": [
                  {"id": "%s", "kind": "CAPABILITY", "context": {"executor": "builtin", "function": "echo"}},
                  {"id": "%s", "kind": "PROCESS",
                   "context": {"steps": [{"name": "echo", "capability": "aug:/%s"}],
                               "result": {"$from": "/steps/echo/output"}},
                   "schema": %s, "solution": {"name": "Example"}}]}""".formatted(capability, process, capability, PERSON))
                .expect(201);
        return process;
    }

    private static String startBody(String process, String input) {
        return "{\"process\": \"aug:/" + process + "\", \"input\": " + input + "}";
    }

    private String start(String process, String input) {
        return api.post("/v1/processes", startBody(process, input)).expect(202).json().get("id").asText();
    }

    private JsonNode run(String id) {
        return api.get("/v1/processes/" + id).expect(200).json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private static void assertPointsAt(JsonNode problem, String pointer) {
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertTrue(pointers.contains(pointer), () -> "no error at " + pointer + ": " + problem);
    }

    // ---- start ---------------------------------------------------------------------------------

    @Test
    void aStartAnswers202WithTheRunAndHandsItToTheEngine() {
        // given
        String process = echoProcess();

        // when
        Api.Reply reply = api.post("/v1/processes", startBody(process, "{\"name\": \"Ada\"}")).expect(202);

        // then
        JsonNode body = reply.json();
        String id = body.get("id").asText();
        assertEquals(Set.of("id", "status", "currentState", "correlationId"), fieldNames(body));
        assertEquals(UUID.fromString(id).toString(), id);
        assertEquals("RUNNING", body.get("status").asText());
        assertEquals("echo", body.get("currentState").asText());
        assertEquals(id, body.get("correlationId").asText());
        assertEquals("/v1/processes/" + id, reply.header("Location").orElseThrow());
        assertTrue(APP.engine.started().contains(UUID.fromString(id)), "the engine was asked to run it");
    }

    @Test
    void aRepeatedIdempotencyKeyAnswers200WithTheSameRun() {
        // given
        String process = echoProcess();
        String body = """
                {"process": "aug:/%s", "branch": "main", "input": {"name": "Ada"}, "idempotencyKey": "%s"}"""
                .formatted(process, UUID.randomUUID());
        JsonNode first = api.post("/v1/processes", body).expect(202).json();

        // when
        JsonNode again = api.post("/v1/processes", body).expect(200).json();

        // then
        assertEquals(first.get("id"), again.get("id"));
        assertEquals(List.of(first.get("id").asText()), ids(api.get("/v1/processes?process="
                + q(run(first.get("id").asText()).get("process").asText())).expect(200).json()));
    }

    @Test
    void aRunKeyUsedBeforeWithAnotherInputAnswers422NamingTheFirstRun() {
        // given
        String process = echoProcess();
        String body = """
                {"process": "aug:/%s", "branch": "main", "input": {"name": "%s"}, "idempotencyKey": "%s"}""";
        String key = UUID.randomUUID().toString();
        JsonNode first = api.post("/v1/processes", body.formatted(process, "Ada", key)).expect(202).json();

        // when
        JsonNode problem = api.post("/v1/processes", body.formatted(process, "Mallory", key)).problem(422);

        // then
        assertEquals("urn:refinery:problem:idempotency-key-reused", problem.get("type").asText(), problem::toString);
        assertEquals(first.get("id"), problem.at("/run/id"), problem::toString);
        assertTrue(problem.get("detail").asText().contains("run " + first.get("id").asText()), problem::toString);
        assertEquals(List.of(first.get("id").asText()), ids(api.get("/v1/processes?process="
                + q(run(first.get("id").asText()).get("process").asText())).expect(200).json()), "nothing started");
    }

    @Test
    void aClientWhoseKeyIsTheRunIdCannotTakeTheRunsResult() {
        // given a run, and a refine that uses its id as the key before the run writes its result
        String id = start(echoProcess(), "{\"name\": \"Grace\"}");
        UUID sagaId = UUID.fromString(id);
        String mallory = "people/mallory-" + unique();
        api.post("/v1/refinements", """
                {"branch": "main", "idempotencyKey": "%s", "vibes": [{"id": "%s", "kind": "RECORD",
                 "solution": {"name": "Mallory"}}]}""".formatted(id, mallory)).expect(201);

        // when the run completes
        APP.runs.record(new RecordStepOutput(sagaId, "echo", Api.JSON.createObjectNode().put("name", "Grace")));
        CompleteOutcome.Completed completed = assertInstanceOf(CompleteOutcome.Completed.class,
                APP.runs.complete(CompleteRun.of(sagaId)));

        // then its result is its own
        JsonNode run = run(id);
        assertEquals(completed.resultRef().toString(), run.get("resultRef").asText());
        assertEquals(run.get("resultId").asText(), completed.resultRef().id().value(), run::toString);
        assertEquals("Grace", api.get("/v1/vibes/" + run.get("resultId").asText()).expect(200).json()
                .at("/solution/name").asText());
        assertEquals("Mallory", api.get("/v1/vibes/" + mallory).expect(200).json().at("/solution/name").asText());
    }

    @Test
    void aCanonicalRefNamesTheProcessAndEveryOptionIsTaken() {
        // given
        String process = echoProcess();
        String budget = "budgets/" + unique();
        api.post("/v1/refinements", "{\"branch\": \"main\", \"vibes\": [{\"id\": \"" + budget
                + "\", \"kind\": \"RECORD\", \"solution\": {\"maxSteps\": 5}}]}").expect(201);
        String resultId = "results/" + unique();

        // when
        String id = api.post("/v1/processes", """
                {"process": "main@%s?1", "branch": "main", "input": {"name": "Ada"}, "resultId": "%s",
                 "budgets": ["main@%s?1"], "idempotencyKey": ""}""".formatted(process, resultId, budget))
                .expect(202).json().get("id").asText();

        // then
        JsonNode run = run(id);
        assertEquals("main@" + process + "?1", run.get("process").asText());
        assertEquals(resultId, run.get("resultId").asText());
        assertEquals("main@" + budget + "?1", run.at("/budgetRefs/0").asText());
        assertTrue(run.get("idempotencyKey").isNull(), "an empty key is no key");
    }

    @Test
    void anUnknownProcessOrBranchAnswers404() {
        JsonNode problem = api.post("/v1/processes", startBody("processes/none-" + unique(), "{}")).problem(404);
        assertTrue(problem.get("detail").asText().contains("processes/none-"), problem::toString);
        api.post("/v1/processes", "{\"process\": \"aug:/" + echoProcess() + "\", \"branch\": \"nowhere\"}").problem(404);
    }

    @Test
    void aVibeThatIsNotAProcessAnswers422AtProcess() {
        // given
        String record = "records/" + unique();
        api.post("/v1/refinements", "{\"branch\": \"main\", \"vibes\": [{\"id\": \"" + record
                + "\", \"kind\": \"RECORD\"}]}").expect(201);

        // when
        JsonNode problem = api.post("/v1/processes", startBody(record, "{}")).problem(422);

        // then
        assertPointsAt(problem, "/process");
        assertTrue(problem.at("/errors/0/message").asText().contains("not a PROCESS"), problem::toString);
    }

    @Test
    void anInputThatBreaksTheProcessSchemaAnswers422WithPointersUnderInput() {
        // given
        String process = echoProcess();

        // when
        JsonNode problem = api.post("/v1/processes", startBody(process, "{\"age\": -1}")).problem(422);

        // then
        assertPointsAt(problem, "/input");
        assertPointsAt(problem, "/input/age");
        assertEquals(0, api.get("/v1/processes?process=" + q("main@" + process + "?1")).expect(200).json()
                .get("items").size(), "nothing was recorded");
    }

    @Test
    void aBodyOfTheWrongShapeAnswers400NamingItsPointers() {
        assertPointsAt(api.post("/v1/processes", "{\"process\": \"aug:/p\", \"colour\": \"red\"}").problem(400),
                "/colour");
        assertPointsAt(api.post("/v1/processes", "{\"process\": \"aug:/p\", \"author\": \"main@roles/x?1\"}")
                .problem(400), "/author");
        assertPointsAt(api.post("/v1/processes", "{\"input\": {}}").problem(400), "/process");
        JsonNode types = api.post("/v1/processes", """
                {"process": 1, "branch": [], "resultId": {}, "budgets": "aug:/b", "idempotencyKey": 2}""").problem(400);
        for (String pointer : List.of("/process", "/branch", "/resultId", "/budgets", "/idempotencyKey")) {
            assertPointsAt(types, pointer);
        }
        api.post("/v1/processes", "[]").problem(400);
        api.post("/v1/processes", "{\"process\": ").problem(400);
        api.post("/v1/processes?dryRun=true", startBody("p", "{}")).problem(400);
    }

    @Test
    void valuesThatDoNotParseAnswer422NamingTheirPointers() {
        JsonNode problem = api.post("/v1/processes", """
                {"process": "processes/x", "branch": "main/", "resultId": "../x", "budgets": ["aug:", "main@b"],
                 "idempotencyKey": "   "}""").problem(422);
        for (String pointer : List.of("/process", "/branch", "/resultId", "/budgets/0", "/budgets/1",
                "/idempotencyKey")) {
            assertPointsAt(problem, pointer);
        }
        assertTrue(problem.toString().contains("neither an aug URI"), problem::toString);
    }

    // ---- read ----------------------------------------------------------------------------------

    @Test
    void aRunIsReadWithTheDocumentedFields() {
        // given a run whose first step has completed
        String process = echoProcess();
        String id = start(process, "{\"name\": \"Ada\"}");
        APP.runs.record(new RecordStepOutput(UUID.fromString(id), "echo", Api.JSON.createObjectNode().put("name", "Ada")));

        // when
        JsonNode run = run(id);

        // then
        RUN_FIELDS.forEach(field -> assertTrue(run.has(field), field));
        assertEquals(id, run.get("id").asText());
        assertEquals("main@" + process + "?1", run.get("process").asText());
        assertEquals("RUNNING", run.get("status").asText());
        assertEquals("writing-result", run.get("currentState").asText());
        assertEquals(id, run.get("correlationId").asText());
        assertEquals(1, run.get("lockVersion").asInt());
        assertEquals(Set.of("input", "steps"), fieldNames(run.get("context")), "internal bookkeeping stays inside");
        assertEquals("Ada", run.at("/context/input/name").asText());
        assertEquals("Ada", run.at("/context/steps/echo/output/name").asText());
        assertTrue(run.get("resultRef").isNull());
        assertTrue(run.get("error").isNull());
        assertEquals("main", run.get("branch").asText());
        assertEquals(AuthFilter.ROOT_ROLE.toString(), run.get("authorRef").asText());
        assertEquals("runs/" + process + "/" + id, run.get("resultId").asText());
        assertTrue(run.get("compensation").isNull());
        assertTrue(java.time.Instant.parse(run.get("updatedAt").asText())
                .isAfter(java.time.Instant.parse(run.get("createdAt").asText())));
    }

    @Test
    void aCompletedRunShowsItsResultAndCannotBeCancelled() {
        // given a run that has written its result
        String id = start(echoProcess(), "{\"name\": \"Grace\"}");
        UUID sagaId = UUID.fromString(id);
        APP.runs.record(new RecordStepOutput(sagaId, "echo", Api.JSON.createObjectNode().put("name", "Grace")));
        CompleteOutcome.Completed completed = assertInstanceOf(CompleteOutcome.Completed.class, APP.runs.complete(CompleteRun.of(sagaId)));

        // when
        JsonNode run = run(id);
        JsonNode problem = api.post("/v1/processes/" + id + "/cancel", "{}").problem(409);

        // then
        assertEquals("COMPLETED", run.get("status").asText());
        assertEquals(completed.resultRef().toString(), run.get("resultRef").asText());
        assertEquals("Grace", api.get("/v1/vibes/" + run.get("resultId").asText()).expect(200).json()
                .at("/solution/name").asText());
        assertEquals("urn:refinery:problem:already-finished", problem.get("type").asText());
        assertEquals("COMPLETED", problem.get("runStatus").asText());
        assertFalse(APP.engine.cancelled().contains(sagaId), "the engine was not asked");
    }

    @Test
    void anUnknownRunAnswers404AndAnIdThatIsNoUuid400() {
        String unknown = UUID.randomUUID().toString();
        api.get("/v1/processes/" + unknown).problem(404);
        api.post("/v1/processes/" + unknown + "/cancel", "{}").problem(404);
        api.get("/v1/processes/not-a-uuid").problem(400);
        api.method("POST", "/v1/processes/12345/cancel", (String) null).problem(400);
        api.get("/v1/processes/" + unknown + "?branch=main").problem(400);
    }

    @Test
    void unsupportedMethodsAnswer405WithAllow() {
        String id = UUID.randomUUID().toString();
        assertEquals("GET, POST", api.method("PUT", "/v1/processes").expect(405).header("Allow").orElseThrow());
        assertEquals("GET", api.method("DELETE", "/v1/processes/" + id).expect(405).header("Allow").orElseThrow());
        assertEquals("POST", api.get("/v1/processes/" + id + "/cancel").expect(405).header("Allow").orElseThrow());
    }

    // ---- list ----------------------------------------------------------------------------------

    @Test
    void runsAreListedByStatusAndProcessInPages() {
        // given three runs of one process: one failed, one asked to cancel (still running)
        String process = echoProcess();
        String ref = q("main@" + process + "?1");
        String a = start(process, "{\"name\": \"a\"}");
        String b = start(process, "{\"name\": \"b\"}");
        String c = start(process, "{\"name\": \"c\"}");
        APP.runs.fail(UUID.fromString(c), "it broke");
        api.post("/v1/processes/" + b + "/cancel", "{}").expect(202);
        start(echoProcess(), "{\"name\": \"another process\"}");

        // when
        JsonNode first = api.get("/v1/processes?limit=2&process=" + ref).expect(200).json();
        JsonNode second = api.get("/v1/processes?limit=2&process=" + ref + "&cursor="
                + q(first.get("nextCursor").asText())).expect(200).json();

        // then pages in id order, and filters
        List<String> all = new ArrayList<>(ids(first));
        all.addAll(ids(second));
        assertEquals(new ArrayList<>(new TreeSet<>(List.of(a, b, c))), all);
        assertTrue(second.get("nextCursor").isNull());
        first.get("items").forEach(item -> RUN_FIELDS.forEach(field -> assertTrue(item.has(field), field)));
        assertEquals(new TreeSet<>(List.of(a, b)), new TreeSet<>(ids(api.get("/v1/processes?status=RUNNING&process="
                + ref).expect(200).json())));
        JsonNode failed = api.get("/v1/processes?status=FAILED&process=" + ref).expect(200).json();
        assertEquals(List.of(c), ids(failed));
        assertEquals("it broke", failed.at("/items/0/error").asText());
        assertEquals(List.of(), ids(api.get("/v1/processes?status=COMPLETED&process=" + ref).expect(200).json()));
    }

    @Test
    void stuckForListsRunningRunsNotUpdatedForThatLong() throws InterruptedException {
        // given two running runs and a failed one, all a little while ago
        String process = echoProcess();
        String ref = q("main@" + process + "?1");
        String a = start(process, "{\"name\": \"a\"}");
        String b = start(process, "{\"name\": \"b\"}");
        APP.runs.fail(UUID.fromString(start(process, "{\"name\": \"c\"}")), "done with");
        Thread.sleep(50);

        // when
        JsonNode stuck = api.get("/v1/processes?stuckFor=PT0.02S&process=" + ref).expect(200).json();
        JsonNode running = api.get("/v1/processes?stuckFor=PT0.02S&status=RUNNING&process=" + ref).expect(200).json();
        JsonNode fresh = api.get("/v1/processes?stuckFor=PT1H&process=" + ref).expect(200).json();

        // then
        assertEquals(new TreeSet<>(List.of(a, b)), new TreeSet<>(ids(stuck)));
        assertEquals(ids(stuck), ids(running));
        assertEquals(List.of(), ids(fresh));
    }

    @Test
    void badListingParametersAnswer400() {
        for (String query : List.of("status=running", "status=DONE", "stuckFor=5m", "stuckFor=-PT5M",
                "stuckFor=PT5M&status=FAILED", "process=processes/x", "process=" + q("aug:/processes/x"), "limit=0",
                "limit=1001", "cursor=not-a-cursor", "colour=red", "status=RUNNING&status=FAILED")) {
            JsonNode problem = api.get("/v1/processes?" + query).problem(400);
            assertTrue(problem.get("detail").asText().length() > 10, () -> query + ": " + problem);
        }
    }

    // ---- cancel --------------------------------------------------------------------------------

    @Test
    void aCancelAnswers202AndTheEngineHearsIt() {
        // given
        String id = start(echoProcess(), "{\"name\": \"Ada\"}");

        // when
        JsonNode run = api.method("POST", "/v1/processes/" + id + "/cancel", (String) null).expect(202).json();

        // then
        assertEquals(id, run.get("id").asText());
        assertEquals("RUNNING", run.get("status").asText(), "it ends CANCELLED once its compensations ran");
        assertTrue(run.get("cancelRequested").asBoolean());
        assertTrue(APP.engine.cancelled().contains(UUID.fromString(id)));
        assertTrue(run(id).get("cancelRequested").asBoolean());
        api.post("/v1/processes/" + id + "/cancel", "{}").expect(202);
    }

    @Test
    void aCancelBodyMustBeEmpty() {
        String id = start(echoProcess(), "{\"name\": \"Ada\"}");
        assertPointsAt(api.post("/v1/processes/" + id + "/cancel", "{\"reason\": \"bored\"}").problem(400), "/reason");
        api.post("/v1/processes/" + id + "/cancel", "[]").problem(400);
        assertFalse(APP.engine.cancelled().contains(UUID.fromString(id)));
    }

    @Test
    void aFinishedRunCannotBeCancelled() {
        // given
        String failed = start(echoProcess(), "{\"name\": \"Ada\"}");
        APP.runs.fail(UUID.fromString(failed), "no luck");
        String cancelled = start(echoProcess(), "{\"name\": \"Ada\"}");
        APP.runs.markCancelled(UUID.fromString(cancelled));

        // when / then
        assertEquals("FAILED", api.post("/v1/processes/" + failed + "/cancel", "{}").problem(409).get("runStatus").asText());
        assertEquals("CANCELLED", api.post("/v1/processes/" + cancelled + "/cancel", "{}").problem(409)
                .get("runStatus").asText());
    }

    // ---- metrics -------------------------------------------------------------------------------

    @Test
    void startsAndCancelsAreCountedByOutcome() {
        // given
        String id = start(echoProcess(), "{\"name\": \"Ada\"}");
        api.post("/v1/processes", startBody("processes/none-" + unique(), "{}")).problem(404);
        api.post("/v1/processes/" + id + "/cancel", "{}").expect(202);

        // when
        String text = api.get("/observe/metrics").expect(200).body();

        // then
        assertTrue(text.contains("refinery_process_start_outcomes_total{outcome=\"started\""), text);
        assertTrue(text.contains("refinery_process_start_outcomes_total{outcome=\"not_found\""), text);
        assertTrue(text.contains("refinery_process_cancel_outcomes_total{outcome=\"cancel_requested\""), text);
        assertTrue(text.contains("route=\"/v1/processes/{processId}/cancel\""), text);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
