package dev.refinery.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.refinery.bootstrap.ProcessFixtures.await;
import static dev.refinery.bootstrap.ProcessFixtures.capability;
import static dev.refinery.bootstrap.ProcessFixtures.finished;
import static dev.refinery.bootstrap.ProcessFixtures.process;
import static dev.refinery.bootstrap.ProcessFixtures.start;
import static dev.refinery.bootstrap.ProcessFixtures.status;
import static dev.refinery.bootstrap.ProcessFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process Vibes for real: PostgreSQL (embedded), the Temporal server on a loopback port, the HTTP
 * API, a worker in a process of its own serving a temporal-activity capability, and an http
 * capability against a local server.
 */
class ProcessesIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final String SCORING = "scoring-" + UUID.randomUUID();

    @TempDir
    static Path dataDir;
    private static HttpServer outside;
    private static final List<String> undone = new CopyOnWriteArrayList<>();
    private static RefineryServer refinery;
    private static Process worker;
    private static Http http;

    @BeforeAll
    static void startEverything() throws Exception {
        outside = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        outside.createContext("/enrich", exchange -> {
            JsonNode in = JSON.readTree(exchange.getRequestBody());
            reply(exchange, 200, "{\"enriched\":true,\"name\":" + JSON.writeValueAsString(in.path("name").asText()) + "}");
        });
        outside.createContext("/undo", exchange -> {
            undone.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(exchange, 200, "{\"undone\":true}");
        });
        outside.start();
        String allowed = "127.0.0.1:" + outside.getAddress().getPort();

        refinery = RefineryServer.start(Settings.load(Optional.empty(), Map.of(), Map.of(
                "refinery.data-dir", dataDir.toString(), "refinery.http.port", "0", "refinery.temporal.port", "0",
                "refinery.processes.http-allow", "http://" + allowed)));
        http = new Http("http://127.0.0.1:" + refinery.port(), Optional.empty());

        worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ExternalWorker.class.getName(), refinery.embeddedTemporalTarget().orElseThrow(), SCORING)
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("worker.log").toFile()).start();

        String base = "http://" + allowed;
        write(http,
                capability("caps/greet", "{'executor':'builtin','function':'template'}"),
                capability("caps/echo", "{'executor':'builtin','function':'echo'}"),
                capability("caps/fail", "{'executor':'builtin','function':'fail'}"),
                capability("caps/sleep", "{'executor':'builtin','function':'sleep'}"),
                capability("caps/enrich", "{'executor':'http','url':'" + base + "/enrich'}"),
                capability("caps/undo", "{'executor':'http','url':'" + base + "/undo'}"),
                capability("caps/score", "{'executor':'temporal-activity','activityType':'Score','taskQueue':'" + SCORING + "'}"),
                "{'id':'budgets/one-step','kind':'RECORD','context':{},'schema':{},'solution':{'maxSteps':1}}",
                process("processes/onboard", """
                        {'steps':[
                          {'name':'greet','capability':'aug:/caps/greet',
                           'input':{'template':'Hi {{/name}}','from':{'$from':'/input'}}},
                          {'name':'enrich','capability':'aug:/caps/enrich','input':{'$from':'/input'},
                           'compensate':'aug:/caps/undo'},
                          {'name':'score','capability':'aug:/caps/score','input':{'name':{'$from':'/input/name'}}}],
                         'result':{'greeting':{'$from':'/steps/greet/output/text'},
                                   'enriched':{'$from':'/steps/enrich/output/enriched'},
                                   'score':{'$from':'/steps/score/output/score'}}}""",
                        "{'type':'object','required':['name'],'properties':{'name':{'type':'string'}}}",
                        "{'name':'example'}"),
                process("processes/doomed", """
                        {'steps':[
                          {'name':'enrich','capability':'aug:/caps/enrich','input':{'$from':'/input'},
                           'compensate':'aug:/caps/undo'},
                          {'name':'boom','capability':'aug:/caps/fail','input':{'message':'no luck','retryable':false}}],
                         'result':{'$from':'/steps/enrich/output'}}""", "{}", "{}"),
                process("processes/nap", """
                        {'steps':[
                          {'name':'echo','capability':'aug:/caps/echo','input':{'$from':'/input'}},
                          {'name':'nap','capability':'aug:/caps/sleep','input':{'ms':2000}}],
                         'result':{'$from':'/steps/echo/output'}}""", "{}", "{}"),
                process("processes/slow", """
                        {'steps':[
                          {'name':'enrich','capability':'aug:/caps/enrich','input':{'$from':'/input'},
                           'compensate':'aug:/caps/undo'},
                          {'name':'nap','capability':'aug:/caps/sleep','input':{'ms':60000}}],
                         'result':{'$from':'/steps/enrich/output'}}""", "{}", "{}"));
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (worker != null) worker.destroyForcibly().waitFor();
        if (refinery != null) refinery.close();
        if (outside != null) outside.stop(0);
    }

    private static long undoCallsFor(String name) {
        return undone.stream().filter(body -> body.contains(name)).count();
    }

    @Test
    void aCapabilityNamingRefinerysOwnQueueOrBookkeepingIsRefusedAtWrite() {
        Http.Answer a = http.post("/v1/refinements", "{'branch':'main','vibes':[" + capability("caps/steal",
                "{'executor':'temporal-activity','activityType':'Saga.CompleteRun','taskQueue':'refinery'}") + "]}");

        assertEquals(422, a.status(), a.text());
        assertTrue(a.text().contains("/vibes/0/context/taskQueue"), a.text());
        assertTrue(a.text().contains("/vibes/0/context/activityType"), a.text());
    }

    @Test
    void aThreeStepRunUsesABuiltinAnHttpServiceAndAnOutsideWorkerAndWritesOneResult() throws Exception {
        String id = start(http, "{'process':'aug:/processes/onboard','input':{'name':'Ada'}}");

        JsonNode run = await(http, id, RUN_TIMEOUT, finished());

        assertEquals("COMPLETED", run.path("status").asText(), run::toString);
        String resultRef = run.path("resultRef").asText();
        Http.Answer result = http.get("/v1/vibes/" + resultRef.substring(resultRef.indexOf('@') + 1, resultRef.indexOf('?'))
                + "?branch=main");
        assertEquals(200, result.status(), result.text());
        assertEquals("Hi Ada", result.body().at("/solution/greeting").asText());
        assertTrue(result.body().at("/solution/enriched").asBoolean());
        assertEquals(3, result.body().at("/solution/score").asInt(), "the outside worker's answer");
        Http.Answer provenance = http.get("/v1/provenance/" + result.body().get("id").asText() + "?branch=main");
        assertEquals("process", provenance.body().at("/refinement/kind").asText(), provenance.text());
    }

    @Test
    void aClientWhoseKeyIsTheRunIdCannotTakeTheRunsResult() throws Exception {
        String name = "own-" + UUID.randomUUID();
        String id = start(http, "{'process':'aug:/processes/nap','input':{'name':'" + name + "'}}");
        await(http, id, RUN_TIMEOUT, run -> run.at("/context/steps/echo/output").isObject());

        // while the run naps, a client refines with the run's id as its key
        Http.Answer mallory = http.post("/v1/refinements", "{'branch':'main','idempotencyKey':'" + id + "',"
                + "'vibes':[{'id':'people/mallory-" + name + "','kind':'RECORD','solution':{'name':'Mallory'}}]}");
        JsonNode run = await(http, id, RUN_TIMEOUT, finished());

        assertEquals(201, mallory.status(), mallory.text());
        assertEquals("COMPLETED", run.path("status").asText(), run::toString);
        String resultRef = run.path("resultRef").asText();
        String resultId = run.path("resultId").asText();
        assertTrue(resultRef.startsWith("main@" + resultId + "?"), run::toString);
        Http.Answer result = http.get("/v1/vibes/" + resultId + "?branch=main");
        assertEquals(name, result.body().at("/solution/name").asText(), result.text());
        Http.Answer provenance = http.get("/v1/provenance/" + resultId + "?branch=main");
        assertEquals("process", provenance.body().at("/refinement/kind").asText(), provenance.text());
    }

    @Test
    void aFailedStepUndoesTheCompletedOnesAndTheRunFails() throws Exception {
        String name = "fail-" + UUID.randomUUID();
        String id = start(http, "{'process':'aug:/processes/doomed','input':{'name':'" + name + "'}}");

        JsonNode run = await(http, id, RUN_TIMEOUT, finished());

        assertEquals("FAILED", run.path("status").asText(), run::toString);
        assertTrue(run.path("error").asText().contains("no luck"), run::toString);
        assertEquals(1, undoCallsFor(name), "the enrich step was compensated once");
        assertTrue(run.path("resultRef").isMissingNode() || run.path("resultRef").isNull(), run::toString);
    }

    @Test
    void aCancelledRunUndoesWhatItDidAndEndsCancelled() throws Exception {
        String name = "cancel-" + UUID.randomUUID();
        String id = start(http, "{'process':'aug:/processes/slow','input':{'name':'" + name + "'}}");
        await(http, id, RUN_TIMEOUT, run -> run.at("/context/steps/enrich/output").isObject());

        Http.Answer cancel = http.post("/v1/processes/" + id + "/cancel", "{}");
        JsonNode run = await(http, id, RUN_TIMEOUT, finished());
        Http.Answer again = http.post("/v1/processes/" + id + "/cancel", "{}");

        assertEquals(202, cancel.status(), cancel.text());
        assertEquals("CANCELLED", run.path("status").asText(), run::toString);
        assertEquals(1, undoCallsFor(name), "the enrich step was compensated once");
        assertEquals(409, again.status(), again.text());
    }

    @Test
    void aRunPastItsBudgetFailsSayingWhichBudget() throws Exception {
        String id = start(http, "{'process':'aug:/processes/onboard','input':{'name':'Bob'},'budgets':['main@budgets/one-step?1']}");

        JsonNode run = await(http, id, RUN_TIMEOUT, finished());

        assertEquals("FAILED", run.path("status").asText(), run::toString);
        assertTrue(run.path("error").asText().contains("maxSteps"), run::toString);
    }

    @Test
    void inputThatBreaksTheProcessSchemaIsRefusedWithAPointer() {
        Http.Answer refused = http.post("/v1/processes", "{'process':'aug:/processes/onboard','input':{'name':42}}");

        assertEquals(422, refused.status(), refused.text());
        assertTrue(refused.body().get("errors").get(0).get("pointer").asText().startsWith("/input"), refused.text());
    }

    @Test
    void runsAreListedByStatusAndProcess() throws Exception {
        String id = start(http, "{'process':'aug:/processes/onboard','input':{'name':'Cy'}}");
        await(http, id, RUN_TIMEOUT, status("COMPLETED"));

        Http.Answer completed = http.get("/v1/processes?status=COMPLETED&process=" + java.net.URLEncoder.encode(
                "main@processes/onboard?1", StandardCharsets.UTF_8) + "&limit=1000");

        assertEquals(200, completed.status(), completed.text());
        boolean listed = false;
        for (JsonNode item : completed.body().get("items")) listed |= item.get("id").asText().equals(id);
        assertTrue(listed, completed.text());
    }

    @SuppressWarnings("unused")
    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
