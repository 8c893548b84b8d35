package dev.refinery.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Item 4: "what depends on this schema?" at 1M vibes, with one schema used by 100k of them (and one used
 * by 10, for contrast): the {@code vibe_refs} queries Refinery runs, and its HTTP answers, against the
 * same question answered by scanning the stored schemas' JSONB.
 */
final class ImpactScan implements Benchmark {
    static final String SHARED = "bench/schemas/shared";
    static final String RARE = "bench/schemas/rare";

    @Override
    public int run(Options options, Report report) throws Exception {
        long size = options.number("vibes", 1_000_000);
        long users = options.number("users", 100_000);
        int repeat = options.integer("repeat", 5);
        int timeout = options.integer("timeout-ms", 120_000);
        report.header("impact", "dependents and impact from vibe_refs vs scanning JSONB (item 4)");
        try (PostgresServer pg = options.postgres(100);
             BenchDatabase db = BenchDatabase.create(pg);
             RefineryProcess server = RefineryProcess.start(RefineryProcess.Config.of(db))) {
            report.configuration(options, Map.of("postgres", pg.description()));
            try (HttpConnection c = server.connect(timeout)) {
                Workload.expect(c.post("/v1/refinements", Workload.addressSchemaRefine()), 201, "the address schema");
                for (String id : List.of(SHARED, RARE)) {
                    Workload.expect(c.post("/v1/refinements", Workload.addressSchemaRefine().replace(Workload.ADDRESS_SCHEMA_ID, id)),
                            201, id);
                }
            }
            long every = Math.max(1, size / users);
            long t0 = System.nanoTime();
            // g % every = 0: the shared schema; the first 10 others: the rare one; the rest: the address schema
            BulkLoad.load(db, "bulk", 1, size, "CASE WHEN g % " + every + " = 0 THEN 'main@" + SHARED + "?1' WHEN g <= 10 "
                    + "THEN 'main@" + RARE + "?1' ELSE 'main@" + Workload.ADDRESS_SCHEMA_ID + "?1' END");
            report.line("loaded %d vibes in %.1f s; %d reference %s, 10 reference %s", size, (System.nanoTime() - t0) / 1e9,
                    db.count("SELECT count(*) FROM vibe_refs WHERE to_ref = ?", "main@" + SHARED + "?1"), SHARED, RARE);

            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("question", "rows", "vibe_refs ms", "JSONB scan ms", "ratio"));
            for (String id : List.of(SHARED, RARE)) {
                String ref = "main@" + id + "?1";
                String edges = "SELECT e.from_ref FROM vibe_refs e WHERE e.to_ref = '" + ref + "'";
                // the same question from the stored schemas: any reference object whose $refResolved names it
                String jsonPath = "SELECT v.ref FROM vibes v WHERE jsonb_path_exists(v.schema, "
                        + "'strict $.** ? (@.\"$refResolved\" == $r)', jsonb_build_object('r', '" + ref + "'))";
                String text = "SELECT v.ref FROM vibes v WHERE v.schema::text LIKE '%\"" + ref.replace("?", "?") + "\"%'";
                Latencies e = BulkLoad.time(db, edges, repeat);
                Latencies jp = BulkLoad.time(db, jsonPath, Math.min(repeat, 3));
                Latencies tx = BulkLoad.time(db, text, Math.min(repeat, 3));
                long rowsFound = db.count("SELECT count(*) FROM (" + edges + ") x");
                long rowsScan = db.count("SELECT count(*) FROM (" + jsonPath + ") x");
                if (rowsFound != rowsScan) report.line("  (!) the scan found %d rows, vibe_refs %d", rowsScan, rowsFound);
                double scan = Math.min(jp.p50(), tx.p50());
                rows.add(List.of("dependents of " + id + " (SQL)", Long.toString(rowsFound), Report.ms(e.p50()),
                        Report.ms(scan) + (jp.p50() <= tx.p50() ? " (jsonpath)" : " (text LIKE)"),
                        String.format("%.0f×", scan / e.p50())));
                Latencies http = new Latencies();
                Latencies impact = new Latencies();
                try (HttpConnection c = server.connect(timeout)) {
                    for (int i = 0; i < repeat; i++) {
                        long t = System.nanoTime();
                        Workload.expect(c.get("/v1/dependents/" + id + "?branch=main&revision=1"), 200, "dependents");
                        http.add(System.nanoTime() - t);
                        t = System.nanoTime();
                        Workload.expect(c.get("/v1/impact/" + id + "?branch=main"), 200, "impact");
                        impact.add(System.nanoTime() - t);
                    }
                }
                // impact as a scan: heads on main whose stored schema references any revision of the id
                String impactScan = "SELECT v.ref FROM vibes v JOIN (SELECT DISTINCT ON (vv.id) vv.ref FROM vibe_visibility vv "
                        + "WHERE vv.branch = 'main' ORDER BY vv.id, vv.revision DESC) h ON h.ref = v.ref "
                        + "WHERE v.schema::text LIKE '%\"main@" + id + "?%'";
                Latencies is = BulkLoad.time(db, impactScan, Math.min(repeat, 3));
                rows.add(List.of("GET /v1/dependents/" + id, Long.toString(rowsFound), Report.ms(http.p50()), Report.ms(scan),
                        String.format("%.1f×", scan / http.p50())));
                rows.add(List.of("GET /v1/impact/" + id, Long.toString(rowsFound), Report.ms(impact.p50()), Report.ms(is.p50())
                        + " (heads + LIKE)", String.format("%.1f×", is.p50() / impact.p50())));
            }
            report.line("p50 of %d runs (scans: of %d); the scan is the faster of a jsonpath and a text LIKE over vibes.schema",
                    repeat, Math.min(repeat, 3));
            report.table(rows);
            report.line("target: the vibe_refs answer ≥ 100× faster than the scan, for the question asked (dependents of a schema"
                    + " used by %d)", users);
        }
        return 0;
    }
}
