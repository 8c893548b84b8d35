package dev.refinery.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Item 3: resolved-schema reads ({@code mode=bundled}) of vibes whose dependency closure holds 1, 10,
 * 100 and 1,000 vibes, as chains and as diamonds: latency and database round trips per read (counted
 * by a relay between the server and PostgreSQL; the closure itself must take one). Then {@code inlined}
 * on growing diamonds, up to the size cap.
 */
final class SchemaClosure implements Benchmark {
    private static final int BATCH = 100;

    @Override
    public int run(Options options, Report report) throws Exception {
        List<Integer> sizes = options.integers("closures", "1,10,100,1000");
        int samples = options.integer("samples", 100);
        int maxInlineDepth = options.integer("inline-depths", 20);
        int timeout = options.integer("timeout-ms", 60_000);
        report.header("schema-closure", "bundled reads by closure size, chains and diamonds; inlined up to its cap (item 3)");
        try (PostgresServer pg = options.postgres(100);
             BenchDatabase db = BenchDatabase.create(pg);
             RoundTripCounter counter = new RoundTripCounter(pg.host(), pg.port());
             RefineryProcess server = RefineryProcess.start(RefineryProcess.Config.of(db).withEnvironment("REFINERY_DB_URL",
                     "jdbc:postgresql://127.0.0.1:" + counter.port() + "/" + db.name() + "?sslmode=disable"))) {
            report.configuration(options, Map.of("postgres", pg.description() + ", through a round-trip counting relay",
                    "max-inlined-nodes", "100000 (default)"));
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("shape", "closure", "bundled p50 ms", "p99 ms", "bytes", "round trips/read", "of which the closure"));
            String deepestDiamond = null;
            try (HttpConnection c = server.connect(timeout)) {
                for (String shape : List.of("chain", "diamond")) {
                    for (int n : sizes) {
                        String top = shape.equals("chain") ? chain(c, n) : diamond(db, n);
                        if (shape.equals("diamond")) deepestDiamond = "diamond" + n;
                        long closure = db.count("""
                                WITH RECURSIVE cl(ref) AS (SELECT ref FROM vibes WHERE id = ? UNION
                                  SELECT e.to_ref FROM cl JOIN vibe_refs e ON e.from_ref = cl.ref) SELECT count(*) FROM cl""", top);
                        // warm, then measure
                        for (int i = 0; i < 20; i++) c.get("/v1/schemas/" + top + "?branch=main&mode=bundled");
                        Latencies l = new Latencies();
                        List<Long> trips = new ArrayList<>();
                        List<Long> plainTrips = new ArrayList<>();
                        int bytes = 0;
                        for (int i = 0; i < samples; i++) {
                            long before = counter.roundTrips();
                            long t = System.nanoTime();
                            HttpConnection.Response r = Workload.expect(c.get("/v1/schemas/" + top + "?branch=main&mode=bundled"),
                                    200, "bundled " + top);
                            l.add(System.nanoTime() - t);
                            trips.add(counter.roundTrips() - before);
                            bytes = r.body().length;
                            before = counter.roundTrips();
                            c.get("/v1/vibes/" + top + "?branch=main");
                            plainTrips.add(counter.roundTrips() - before);
                        }
                        long median = median(trips);
                        rows.add(List.of(shape, Long.toString(closure), Report.ms(l.p50()), Report.ms(l.p99()),
                                Integer.toString(bytes), Long.toString(median),
                                Long.toString(median - median(plainTrips)) + " (vs GET /v1/vibes: " + median(plainTrips) + ")"));
                    }
                }
                report.line("%d reads of each after 20 to warm up; one client, sequential", samples);
                report.table(rows);
                inlined(report, c, deepestDiamond, maxInlineDepth);
            }
        }
        return 0;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** {@code chainN/1} … {@code chainN/N}, each referencing the one before; answers the last id. */
    private static String chain(HttpConnection c, int n) throws IOException {
        List<String> vibes = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            String schema = k == 1 ? "{\"type\":\"object\"}"
                    : "{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"aug:/chain" + n + "/" + (k - 1) + "\"}}}";
            vibes.add(vibe("chain" + n + "/" + k, schema));
        }
        write(c, vibes);
        return "chain" + n + "/" + n;
    }

    /**
     * A lattice: a base, then layers of two vibes that each reference both vibes of the layer below, then a
     * top referencing the last layer: 1 + 2·depth + 1 vibes, and an inlined view of about 2^depth nodes.
     * Written through the database (stamped schemas, the triggers fill vibe_refs): a refine of such a schema
     * past a depth of about 20 does not answer (see README, "What the runs found").
     */
    private static String diamond(BenchDatabase db, int n) {
        String p = "diamond" + n + "/";
        List<String[]> vibes = new ArrayList<>();  // id, stamped schema
        if (n == 1) {
            vibes.add(new String[]{p + "top", "{\"type\":\"object\"}"});
        } else {
            int depth = (n - 2) / 2;
            vibes.add(new String[]{p + "base", "{\"type\":\"object\"}"});
            String[] below = {p + "base", p + "base"};
            for (int i = 1; i <= depth; i++) {
                for (String side : List.of("a", "b")) vibes.add(new String[]{p + i + side, both(below)});
                below = new String[]{p + i + "a", p + i + "b"};
            }
            vibes.add(new String[]{p + "top", both(below)});
        }
        try (var c = db.admin()) {
            c.setAutoCommit(false);
            long refinement;
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT nextval('refinement_id_seq')")) {
                rs.next();
                refinement = rs.getLong(1);
            }
            try (var r = c.prepareStatement("INSERT INTO refinements (id, branch, author_ref, kind, output_refs, message, created_at)"
                    + " VALUES (?, 'main', 'main@roles/root?1', 'refine', ?::TEXT[], 'diamond', now())")) {
                r.setLong(1, refinement);
                r.setString(2, "{" + String.join(",", vibes.stream().map(v -> "\"main@" + v[0] + "?1\"").toList()) + "}");
                r.executeUpdate();
            }
            try (var v = c.prepareStatement("INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, refinement_id,"
                    + " context, schema, solution, schema_refs, digest, created_at) VALUES (?, ?, 'main', 1, 'RECORD', '{}',"
                    + " 'main@roles/root?1', ?, '{}', ?::JSONB, '{}', NULL, 'sha256:' || encode(sha256(convert_to(?, 'UTF8')), 'hex'), now())")) {
                for (String[] x : vibes) {
                    v.setString(1, "main@" + x[0] + "?1");
                    v.setString(2, x[0]);
                    v.setLong(3, refinement);
                    v.setString(4, x[1]);
                    v.setString(5, x[0]);
                    v.executeUpdate();
                }
            }
            c.commit();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot write the diamond: " + e.getMessage(), e);
        }
        return p + "top";
    }

    /**
     * Both references, stamped, under {@code properties}, so that validating {@code {}} would not walk them
     * (with {@code allOf} it walks every path of the lattice).
     */
    private static String both(String[] ids) {
        return "{\"type\":\"object\",\"properties\":{\"l\":" + stamped(ids[0]) + ",\"r\":" + stamped(ids[1]) + "}}";
    }

    private static String stamped(String id) {
        return "{\"$ref\":\"aug:/" + id + "\",\"$refResolved\":\"main@" + id + "?1\"}";
    }

    private static String vibe(String id, String schema) {
        return "{\"id\":\"" + id + "\",\"kind\":\"RECORD\",\"schema\":" + schema + ",\"solution\":{}}";
    }

    /** In refinements of at most 100 outputs, in order: a reference resolves to an earlier output. */
    private static void write(HttpConnection c, List<String> vibes) throws IOException {
        for (int from = 0; from < vibes.size(); from += BATCH) {
            List<String> batch = vibes.subList(from, Math.min(vibes.size(), from + BATCH));
            Workload.expect(c.post("/v1/refinements", "{\"branch\":\"main\",\"message\":\"closure\",\"vibes\":["
                    + String.join(",", batch) + "]}"), 201, "writing " + batch.size() + " schemas");
        }
    }

    /** The inlined view of the lattice's layers, deeper and deeper: its size doubles per layer until the cap refuses it. */
    private static void inlined(Report report, HttpConnection c, String diamond, int maxDepth) throws IOException {
        if (diamond == null) return;
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("layer", "closure", "status", "bytes", "ms"));
        for (int i = 2; i <= maxDepth; i += 2) {
            String id = diamond + "/" + i + "a";
            long t = System.nanoTime();
            HttpConnection.Response r = c.get("/v1/schemas/" + id + "?branch=main&mode=inlined");
            double ms = (System.nanoTime() - t) / 1e6;
            if (r.status() == 404) break;
            rows.add(List.of(id, Integer.toString(2 * i + 1), Integer.toString(r.status()), Integer.toString(r.body().length),
                    Report.ms(ms)));
        }
        report.line("mode=inlined on a diamond's layers (each layer doubles the inlined size; 422 past the cap):");
        report.table(rows);
    }
}
