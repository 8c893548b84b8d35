package dev.refinery.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The requests the benchmarks send, and the small JSON helpers they need. */
final class Workload {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADDRESS_SCHEMA_ID = "bench/schemas/address";

    private Workload() {}

    /** The schema every refine-throughput output references: one small object schema. */
    static String addressSchemaRefine() {
        return """
                {"branch": "main", "message": "address schema", "vibes": [{"id": "%s", "kind": "RECORD",
                 "schema": {"type": "object", "required": ["city"], "properties": {"city": {"type": "string"},
                   "zip": {"type": "string"}}}, "solution": {"city": "Example"}}]}""".formatted(ADDRESS_SCHEMA_ID);
    }

    /**
     * One output, a small schema with one {@code aug:} reference, and a solution to validate against it
     * (the same rows the pgbench script writes).
     */
    static String refineWithReference(String branch, String id, String city) {
        return "{\"branch\":\"" + branch + "\",\"message\":\"bench\",\"vibes\":[{\"id\":\"" + id + "\",\"kind\":\"RECORD\","
                + "\"schema\":{\"type\":\"object\",\"required\":[\"address\"],\"properties\":{\"address\":"
                + "{\"$ref\":\"aug:/" + ADDRESS_SCHEMA_ID + "\"}}},"
                + "\"solution\":{\"address\":{\"city\":\"" + city + "\"}}}]}";
    }

    static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String resource(String name) {
        try (InputStream in = Workload.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails loudly when an answer is not the expected status: setup steps must not go wrong silently. */
    /**
     * ANALYZE, what autovacuum does within its first minute (naptime) on a fresh ledger, before anything is measured.
     * Until then the planner sizes vibes and vibe_visibility by the statistics that V8's and V9's index builds left
     * on a fresh install: one page, one row (the genesis vibe). The plans cached then (the foreign-key checks', the
     * triggers') read those tables sequentially, and a fresh server ran 4-5× slower until autovacuum's ANALYZE
     * invalidated them: a first minute that no long-running installation has, and no figure should include.
     */
    static void analyze(BenchDatabase db, Report report) {
        long t = System.nanoTime();
        db.execute("ANALYZE");
        report.line("ANALYZE before measuring (what autovacuum does in a fresh ledger's first minute): %.0f ms",
                (System.nanoTime() - t) / 1e6);
    }

    /**
     * {@code VACUUM (ANALYZE)} of the run's database; returns the milliseconds it took. Run before each measured
     * phase when phases alternate (Refinery, then pgbench, then Refinery...): otherwise autovacuum cleans up and
     * re-analyses after one phase while the next is measured, and each phase pays for the rows of the one before
     * it, which for the faster side's phases are more.
     */
    static double vacuum(BenchDatabase db) {
        long t = System.nanoTime();
        db.execute("VACUUM (ANALYZE)");
        return (System.nanoTime() - t) / 1e6;
    }

    static HttpConnection.Response expect(HttpConnection.Response r, int status, String what) {
        if (r.status() != status) {
            throw new IllegalStateException(what + ": expected " + status + ", got " + r.status() + " " + Load.abbreviate(r.text()));
        }
        return r;
    }
}
