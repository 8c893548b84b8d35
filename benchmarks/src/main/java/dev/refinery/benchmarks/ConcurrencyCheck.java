package dev.refinery.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reliability: many clients refining few ids on two branches through HTTP for a while, each request
 * with its own idempotency key (retried with the same key after a transport failure). Afterwards every
 * acknowledged write is in the ledger as answered, revisions are contiguous per id and branch, and no
 * refinement is half-written.
 */
final class ConcurrencyCheck implements Benchmark {
    static final String DEV = "bench-dev";

    /** A write the server acknowledged: the refinement and the revision it answered. */
    record Ack(String key, long refinement, String ref, String digest) {}

    @Override
    public int run(Options options, Report report) throws Exception {
        int clients = options.integer("clients", 64);
        int ids = options.integer("ids", 20);
        Duration duration = options.seconds("duration", 60);
        int timeout = options.integer("timeout-ms", 30_000);
        report.header("rel-concurrency", "concurrent refines of few ids: acknowledged writes, contiguous revisions, whole refinements");
        Report.Checks checks = report.checks();
        try (PostgresServer pg = options.postgres(100);
             BenchDatabase db = BenchDatabase.create(pg);
             RefineryProcess server = RefineryProcess.start(RefineryProcess.Config.of(db))) {
            report.configuration(options, Map.of("postgres", pg.description(), "branches", "main, " + DEV));
            try (HttpConnection c = server.connect(timeout)) {
                Workload.expect(c.post("/v1/refinements", Workload.addressSchemaRefine()), 201, "the address schema");
                Workload.expect(c.post("/v1/branches", "{\"name\":\"" + DEV + "\",\"from\":\"main\"}"), 201, "the branch");
            }
            long firstRefinement = db.count("SELECT coalesce(max(id), 0) FROM refinements") + 1;
            Queue<Ack> acks = new ConcurrentLinkedQueue<>();
            Queue<String> retried = new ConcurrentLinkedQueue<>();
            Load.Result r = Load.run(server, clients, duration, timeout, (c, client, seq) -> {
                java.util.SplittableRandom random = new java.util.SplittableRandom(client * 1_000_003L + seq);
                String branch = client % 2 == 0 ? "main" : DEV;
                String id = "conc/" + random.nextInt(ids);
                String key = "c" + client + "-" + seq;
                String body = Workload.refineWithReference(branch, id, "client " + client + " seq " + seq)
                        .replace("\"message\":\"bench\"", "\"message\":\"bench\",\"idempotencyKey\":\"" + key + "\"");
                IOException last = null;
                for (int attempt = 0; attempt < 3; attempt++) {
                    try {
                        HttpConnection.Response answer = c.post("/v1/refinements", body);
                        if (answer.status() == 201 || answer.status() == 200) {
                            JsonNode json = Workload.parse(answer.body());
                            JsonNode vibe = json.path("vibes").path(0);
                            acks.add(new Ack(key, json.path("refinement").path("id").asLong(), vibe.path("ref").asText(),
                                    vibe.path("digest").asText()));
                        }
                        return answer;
                    } catch (IOException e) {
                        last = e;
                        retried.add(key);
                    }
                }
                throw last;
            });
            report.line("%d clients for %.1f s: %d acknowledged (%.0f/s), answers: %s; retried after a transport failure: %d",
                    clients, r.duration().toNanos() / 1e9, acks.size(), acks.size() / (r.duration().toNanos() / 1e9),
                    r.statusSummary(), retried.size());
            report.line("latency of acknowledged refines: p50 %s ms, p99 %s ms, max %s ms", Report.ms(r.ok().p50()),
                    Report.ms(r.ok().p99()), Report.ms(r.ok().maxMillis()));
            if (!r.sampleErrors().isEmpty()) report.line("sample errors: %s", r.sampleErrors());
            judge(checks, db, List.copyOf(acks), firstRefinement, r);
        }
        return checks.finish();
    }

    private static void judge(Report.Checks checks, BenchDatabase db, List<Ack> acks, long firstRefinement, Load.Result r)
            throws Exception {
        checks.check("every request was answered 2xx", r.notOk() == 0, r.statusSummary());
        Map<String, String[]> stored = new HashMap<>();
        try (Connection c = db.admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ref, digest, refinement_id FROM vibes WHERE id LIKE 'conc/%'")) {
            while (rs.next()) stored.put(rs.getString(1), new String[]{rs.getString(2), Long.toString(rs.getLong(3))});
        }
        long missing = acks.stream().filter(a -> {
            String[] row = stored.get(a.ref());
            return row == null || !row[0].equals(a.digest()) || !row[1].equals(Long.toString(a.refinement()));
        }).count();
        checks.check("every acknowledged write is in the ledger as answered (ref, digest, refinement)", missing == 0 && !acks.isEmpty(),
                acks.size() + " acknowledged, " + missing + " missing or different");
        long keys = acks.stream().map(Ack::key).distinct().count();
        long refinementsPerKey = db.count("SELECT count(*) FROM (SELECT idempotency_key FROM refinements "
                + "WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1) d");
        checks.check("one refinement per idempotency key", refinementsPerKey == 0 && keys == acks.size(),
                keys + " keys acknowledged, " + refinementsPerKey + " keys with several refinements");
        long written = db.count("SELECT count(*) FROM refinements WHERE id >= ?", firstRefinement);
        checks.check("nothing was written that was not acknowledged", written == acks.size(),
                written + " refinements written, " + acks.size() + " acknowledged");
        long gaps = db.count("""
                SELECT count(*) FROM (SELECT branch, id, max(revision) AS top, count(*) AS n, count(DISTINCT revision) AS d
                                      FROM vibes WHERE id LIKE 'conc/%' GROUP BY branch, id) g
                WHERE top <> n OR d <> n""");
        long series = db.count("SELECT count(DISTINCT (branch, id)) FROM vibes WHERE id LIKE 'conc/%'");
        checks.check("revisions are contiguous from 1 per id and branch", gaps == 0,
                series + " (branch, id) series, " + gaps + " with a gap or a repeat");
        long halfRefinements = db.count("""
                SELECT count(*) FROM refinements r WHERE r.id >= ? AND (
                    cardinality(r.output_refs) <> 1
                    OR EXISTS (SELECT 1 FROM unnest(r.output_refs) o(ref)
                               WHERE NOT EXISTS (SELECT 1 FROM vibes v WHERE v.ref = o.ref AND v.refinement_id = r.id)))""",
                firstRefinement);
        long orphanVibes = db.count("""
                SELECT count(*) FROM vibes v WHERE v.id LIKE 'conc/%' AND NOT EXISTS (
                    SELECT 1 FROM refinements r WHERE r.id = v.refinement_id AND v.ref = ANY (r.output_refs))""");
        long noVisibility = db.count("""
                SELECT count(*) FROM vibes v WHERE v.id LIKE 'conc/%' AND NOT EXISTS (
                    SELECT 1 FROM vibe_visibility vv WHERE vv.ref = v.ref AND vv.branch = v.branch
                                                     AND vv.refinement_id = v.refinement_id)""");
        long noEdge = db.count("""
                SELECT count(*) FROM vibes v WHERE v.id LIKE 'conc/%' AND
                    (SELECT count(*) FROM vibe_refs e WHERE e.from_ref = v.ref) <> cardinality(v.schema_refs)
                    OR (v.id LIKE 'conc/%' AND cardinality(v.schema_refs) <> 1)""");
        checks.check("no refinement is half-written (its output, visibility row and edge are all there)",
                halfRefinements + orphanVibes + noVisibility + noEdge == 0,
                halfRefinements + " refinements without their output, " + orphanVibes + " vibes without their refinement, "
                        + noVisibility + " without visibility, " + noEdge + " without their edge");
    }
}
