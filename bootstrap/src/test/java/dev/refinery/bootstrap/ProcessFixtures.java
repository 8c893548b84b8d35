package dev.refinery.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Writing capabilities and processes, starting runs and waiting for them, over the HTTP API. */
final class ProcessFixtures {
    private ProcessFixtures() {}

    /** Writes vibes (JSON objects with single quotes) to main in one refinement. */
    static void write(Http http, String... vibes) {
        Http.Answer a = http.post("/v1/refinements", "{'branch':'main','vibes':[" + String.join(",", vibes) + "]}");
        assertEquals(201, a.status(), a.text());
    }

    static String capability(String id, String context) {
        return "{'id':'" + id + "','kind':'CAPABILITY','context':" + context + ",'schema':{},'solution':{}}";
    }

    static String process(String id, String definition, String inputSchema, String exampleInput) {
        return "{'id':'" + id + "','kind':'PROCESS','context':" + definition + ",'schema':" + inputSchema
                + ",'solution':" + exampleInput + "}";
    }

    /** Starts a run and answers its id. */
    static String start(Http http, String body) {
        Http.Answer a = http.post("/v1/processes", body);
        assertEquals(202, a.status(), a.text());
        return a.body().get("id").asText();
    }

    static JsonNode run(Http http, String id) {
        Http.Answer a = http.get("/v1/processes/" + id);
        assertEquals(200, a.status(), a.text());
        return a.body();
    }

    /** Polls the run until {@code done} holds, or fails after {@code timeout} showing the run. */
    static JsonNode await(Http http, String id, Duration timeout, Predicate<JsonNode> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode run = run(http, id);
        while (!done.test(run)) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("run " + id + " did not get there in " + timeout + ": " + run);
            Thread.sleep(100);
            run = run(http, id);
        }
        return run;
    }

    static Predicate<JsonNode> status(String status) {
        return run -> status.equals(run.path("status").asText());
    }

    static Predicate<JsonNode> finished() {
        return run -> !"RUNNING".equals(run.path("status").asText());
    }
}
