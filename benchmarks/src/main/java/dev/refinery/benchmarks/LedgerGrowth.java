package dev.refinery.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Item 2: refine and read latency as the ledger grows (10k, 100k, 1M vibes, bulk-loaded through the
 * database between the steps): each step's figures against the first step's, which should stay flat.
 */
final class LedgerGrowth implements Benchmark {
    @Override
    public int run(Options options, Report report) throws Exception {
        List<Long> sizes = options.numbers("sizes", "10000,100000,1000000");
        int samples = options.integer("samples", 300);
        int timeout = options.integer("timeout-ms", 30_000);
        int warmup = options.integer("warmup", 200);
        report.header("ledger-growth", "refine and read latency at growing ledger sizes (item 2)");
        try (PostgresServer pg = options.postgres(100);
             BenchDatabase db = BenchDatabase.create(pg);
             RefineryProcess server = RefineryProcess.start(RefineryProcess.Config.of(db))) {
            report.configuration(options, Map.of("postgres", pg.description(), "client", "one connection, sequential requests"));
            try (HttpConnection c = server.connect(timeout)) {
                Workload.expect(c.post("/v1/refinements", Workload.addressSchemaRefine()), 201, "the address schema");
            }
            String[] operations = {"refine (new id)", "GET /v1/vibes/{id}", "GET /v1/history/{id}", "GET /v1/vibes?prefix= (10)",
                    "GET /v1/schemas/{id}?mode=bundled", "GET /v1/vibes (100, no prefix)", "GET /v1/vibes?kind=ROLE"};
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("vibes", "load s", "refine p50", "p99", "vibe p50", "p99", "history p50", "p99", "list p50", "p99",
                    "bundled p50", "p99", "all p50", "p99", "roles p50", "p99"));
            if (warmup > 0) {
                BulkLoad.load(db, "bulk", 1, 100, "'main@" + Workload.ADDRESS_SCHEMA_ID + "?1'");
                measure(server, 100, warmup, timeout, 0);  // the JIT's turn, not counted
            }
            double[] firstP50 = null;
            double[] lastP50 = null;
            long loaded = warmup > 0 ? 100 : 0;
            for (long size : sizes) {
                long t0 = System.nanoTime();
                long have = db.count("SELECT count(*) FROM vibes");
                if (size > have) BulkLoad.load(db, "bulk", loaded + 1, loaded + (size - have), "'main@" + Workload.ADDRESS_SCHEMA_ID + "?1'");
                loaded += Math.max(0, size - have);
                double loadSeconds = (System.nanoTime() - t0) / 1e9;
                Latencies[] l = measure(server, loaded, samples, timeout, size);
                double[] p50 = new double[l.length];
                List<String> row = new ArrayList<>(List.of(Long.toString(db.count("SELECT count(*) FROM vibes")),
                        String.format("%.1f", loadSeconds)));
                for (int i = 0; i < l.length; i++) {
                    p50[i] = l[i].p50();
                    row.add(Report.ms(l[i].p50()));
                    row.add(Report.ms(l[i].p99()));
                }
                rows.add(row);
                if (firstP50 == null) firstP50 = p50;
                lastP50 = p50;
            }
            report.line("latencies in ms, %d samples of each at each size (sequential, one client)", samples);
            report.table(rows);
            for (int i = 0; i < operations.length; i++) {
                report.ratio("p50 at the largest / smallest size, " + operations[i], lastP50[i] / firstP50[i]);
            }
            report.line("flat means a ratio near 1; each is a p50 over %d samples, so ±20%% is within the noise here", samples);
        }
        return 0;
    }

    private static Latencies[] measure(RefineryProcess server, long loaded, int samples, int timeout, long size) throws IOException {
        Latencies refine = new Latencies();
        Latencies vibe = new Latencies();
        Latencies history = new Latencies();
        Latencies list = new Latencies();
        Latencies bundled = new Latencies();
        Latencies all = new Latencies();
        Latencies roles = new Latencies();
        SplittableRandom random = new SplittableRandom(size);
        try (HttpConnection c = server.connect(timeout)) {
            for (int i = 0; i < samples; i++) {
                long t = System.nanoTime();
                Workload.expect(c.post("/v1/refinements", Workload.refineWithReference("main", "growth/" + size + "/" + i, "c" + i)),
                        201, "refine");
                refine.add(System.nanoTime() - t);
                String id = "bulk/" + (1 + random.nextLong(loaded));
                t = System.nanoTime();
                Workload.expect(c.get("/v1/vibes/" + id + "?branch=main"), 200, "read " + id);
                vibe.add(System.nanoTime() - t);
                t = System.nanoTime();
                Workload.expect(c.get("/v1/history/" + id + "?branch=main"), 200, "history " + id);
                history.add(System.nanoTime() - t);
                t = System.nanoTime();
                Workload.expect(c.get("/v1/vibes?branch=main&limit=10&prefix=" + Workload.query(id)), 200, "list " + id);
                list.add(System.nanoTime() - t);
                t = System.nanoTime();
                Workload.expect(c.get("/v1/schemas/" + id + "?branch=main&mode=bundled"), 200, "bundled " + id);
                bundled.add(System.nanoTime() - t);
                t = System.nanoTime();
                Workload.expect(c.get("/v1/vibes?branch=main&limit=100"), 200, "list");
                all.add(System.nanoTime() - t);
                t = System.nanoTime();
                Workload.expect(c.get("/v1/vibes?branch=main&kind=ROLE"), 200, "roles");
                roles.add(System.nanoTime() - t);
            }
        }
        return new Latencies[]{refine, vibe, history, list, bundled, all, roles};
    }
}
