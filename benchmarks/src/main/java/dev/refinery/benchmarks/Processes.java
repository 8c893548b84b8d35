package dev.refinery.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Process Vibes over the HTTP API, for the process benchmarks: capability and process vibes to write, starting
 * a run, reading it (see adapters-temporal/README.md for how a process is defined).
 */
final class Processes {
    private Processes() {}

    /** A refine of {@code vibes} (JSON objects) to main in one refinement. */
    static String refine(String message, String... vibes) {
        return "{\"branch\":\"main\",\"message\":" + Workload.quote(message) + ",\"vibes\":[" + String.join(",", vibes) + "]}";
    }

    /** A CAPABILITY vibe: {@code context} is its executor spec, e.g. {@code {"executor":"builtin","function":"echo"}}. */
    static String capability(String id, String context) {
        return "{\"id\":\"" + id + "\",\"kind\":\"CAPABILITY\",\"context\":" + context + ",\"schema\":{},\"solution\":{}}";
    }

    /**
     * A PROCESS vibe: {@code definition} is its context (steps, result), {@code inputSchema} validates a run's input,
     * and the solution is an example input (a refine validates a vibe's solution against its schema).
     */
    static String process(String id, String definition, String inputSchema, String exampleInput) {
        return "{\"id\":\"" + id + "\",\"kind\":\"PROCESS\",\"context\":" + definition + ",\"schema\":" + inputSchema
                + ",\"solution\":" + exampleInput + "}";
    }

    /** {@code POST /v1/processes}: the answer (202 with the run's id when it started). */
    static HttpConnection.Response start(HttpConnection c, String processId, String input) throws IOException {
        return c.post("/v1/processes", "{\"process\":\"aug:/" + processId + "\",\"branch\":\"main\",\"input\":" + input + "}");
    }

    /** {@code GET /v1/processes/{id}}: the run. */
    static JsonNode run(HttpConnection c, String id) throws IOException {
        return Workload.parse(Workload.expect(c.get("/v1/processes/" + id), 200, "GET /v1/processes/" + id).body());
    }

    /** Every item of a paged {@code {items, nextCursor}} listing ({@code path} has a query already). */
    static List<JsonNode> all(HttpConnection c, String path) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            String target = path + "&limit=1000" + (cursor == null ? "" : "&cursor=" + Workload.query(cursor));
            JsonNode page = Workload.parse(Workload.expect(c.get(target), 200, "GET " + target).body());
            page.path("items").forEach(items::add);
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return items;
    }
}
