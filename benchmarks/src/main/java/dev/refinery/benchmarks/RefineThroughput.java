package dev.refinery.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Item 1: refines per second over HTTP at several concurrencies, against pgbench writing the same rows
 * (refinement, vibe, visibility, edge) in one transaction at the same concurrency, on the same database.
 */
final class RefineThroughput implements Benchmark {
    @Override
    public int run(Options options, Report report) throws Exception {
        List<Integer> concurrencies = options.integers("concurrency", "1,4,16,64");
        Duration duration = options.seconds("duration", 10);
        Duration warmup = options.seconds("warmup", 30); // C2 keeps compiling for ~40 s under load
        boolean pgbench = Boolean.parseBoolean(options.text("pgbench", "true"));
        int timeout = options.integer("timeout-ms", 30_000);
        int pool = options.integer("server-pool", 0); // 0: the server's default (refinery.db.pool-size)
        // JVM options for the server only (space-separated), e.g. a collector to compare
        List<String> serverJava = java.util.Arrays.stream(options.text("server-java-options", "").split("\\s+"))
                .filter(o -> !o.isEmpty()).toList();
        report.header("refine-throughput", "refines/s over HTTP vs pgbench doing the same inserts (item 1)");
        try (PostgresServer pg = options.postgres(200);
             BenchDatabase db = BenchDatabase.create(pg);
             RefineryProcess server = RefineryProcess.start(serverConfig(db, pool, serverJava))) {
            report.configuration(options, Map.of("postgres", pg.description(),
                    "server-connections", server.poolSize() + (pool > 0 ? "" : " (its default)"),
                    "server-jvm", String.join(" ", server.jvmOptions()).transform(o -> o.isEmpty() ? "(defaults)" : o),
                    "client", "own HTTP/1.1 keep-alive, one connection per client (virtual threads)"));
            try (HttpConnection c = server.connect(timeout)) {
                Workload.expect(c.post("/v1/refinements", Workload.addressSchemaRefine()), 201, "the address schema");
            }
            if (!warmup.isZero()) {
                Load.Result w = refine(server, "w", 4, warmup, timeout);
                report.line("warm-up: %d refines in %s s at concurrency 4 (not counted)", w.okCount(), warmup.toSeconds());
            }
            Workload.analyze(db, report);
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("concurrency", "refinery/s", "p50 ms", "p99 ms", "errors", "pgbench tx/s", "p50 ms", "p99 ms",
                    "ratio"));
            List<List<String>> cpu = new ArrayList<>();
            cpu.add(List.of("concurrency", "server JVM", "postgres", "client JVM", "total", "|", "pgbench: postgres",
                    "pgbench", "total", "|", "cores busy", "ratio, server free"));
            int cores = Runtime.getRuntime().availableProcessors();
            CpuMeter meter = new CpuMeter(server.pid(), pg.postmasterPid());
            double worst = Double.MAX_VALUE;
            double bound = Double.MAX_VALUE; // the lowest "server free" ratio where both sides kept the cores busy
            double vacuumed = 0;
            for (int phase = 0; phase < concurrencies.size(); phase++) {
                int clients = concurrencies.get(phase);
                vacuumed += Workload.vacuum(db);
                CpuMeter.Sample before = meter.sample();
                // ids new in each phase, even when a concurrency is listed twice: a refine that repeats an id's
                // content writes nothing, and would measure a read
                Load.Result r = refine(server, "p" + phase + "c" + clients, clients, duration, timeout);
                CpuMeter.Sample refinery = meter.sample().minus(before);
                List<String> cpuRow = new ArrayList<>(List.of(Integer.toString(clients),
                        CpuMeter.perOperation(refinery.server(), r.okCount()),
                        CpuMeter.perOperation(refinery.postgres(), r.okCount()),
                        CpuMeter.perOperation(refinery.client(), r.okCount()),
                        CpuMeter.perOperation(CpuMeter.sum(refinery.server(), refinery.postgres(), refinery.client()), r.okCount()),
                        "|"));
                if (!r.sampleErrors().isEmpty()) report.line("  errors at %d: %s", clients, r.sampleErrors());
                if (pgbench) {
                    vacuumed += Workload.vacuum(db);
                    CpuMeter.Sample start = meter.sample();
                    Pgbench.Result p = Pgbench.run(db, Workload.resource("refine.pgbench.sql"), clients, duration);
                    CpuMeter.Sample base = meter.sample().minus(start);
                    cpuRow.addAll(List.of(CpuMeter.perOperation(base.postgres(), p.transactions()),
                            CpuMeter.perOperation(base.clientChildren(), p.transactions()),
                            CpuMeter.perOperation(CpuMeter.sum(base.postgres(), base.clientChildren()), p.transactions())));
                    double ratio = r.perSecond() / p.perSecond();
                    worst = Math.min(worst, ratio);
                    Ceiling c = ceiling(refinery, r, base, p, cores);
                    cpuRow.addAll(c.cells());
                    if (c.saturated()) bound = Math.min(bound, c.serverFree());
                    rows.add(List.of(Integer.toString(clients), Report.num(r.perSecond()), Report.ms(r.ok().p50()),
                            Report.ms(r.ok().p99()), Long.toString(r.notOk()), Report.num(p.perSecond()),
                            Report.ms(p.latencies().p50()), Report.ms(p.latencies().p99()), String.format("%.2f", ratio)));
                } else {
                    rows.add(List.of(Integer.toString(clients), Report.num(r.perSecond()), Report.ms(r.ok().p50()),
                            Report.ms(r.ok().p99()), Long.toString(r.notOk()), "-", "-", "-", "-"));
                    cpuRow.addAll(List.of("-", "-", "-"));
                    cpuRow.addAll(Ceiling.UNKNOWN.cells());
                }
                cpu.add(cpuRow);
            }
            report.table(rows);
            report.line("VACUUM (ANALYZE) before each measured phase, so that none pays autovacuum for the rows of the "
                    + "one before: %.0f ms in all, not measured", vacuumed);
            report.line("CPU ms per refine (per pgbench transaction), from /proc; \"-\" where unknown (a shared server):");
            report.table(cpu);
            report.line("cores busy: CPU used over the phase's time on %d cores, Refinery / pgbench. Ratio, server free: what "
                    + "the ratio would be if the server JVM cost no CPU at all, pgbench's CPU per transaction over "
                    + "PostgreSQL's and the client's per refine; it bounds the ratio where both sides kept the cores busy", cores);
            if (bound < Double.MAX_VALUE) {
                report.line("lowest ratio a server JVM costing nothing would reach where both sides kept the cores at least "
                        + "%.0f%% busy: %.2f (PostgreSQL's and the client's CPU per refine alone)", 100 * SATURATED, bound);
            }
            report.line("rows: vibes in the ledger after the run: %d", db.count("SELECT count(*) FROM vibes"));
            if (pgbench) report.ratio("refinery/pgbench (lowest over the concurrencies)", worst, 0.7);
        }
        return 0;
    }

    /** The share of the cores both sides must keep busy for a phase's "server free" ratio to bound its ratio. */
    static final double SATURATED = 0.85;

    /** One phase's share of the cores busy on each side, and the "server free" ratio; NaN where unknown. */
    record Ceiling(double refineryBusy, double pgbenchBusy, double serverFree) {
        static final Ceiling UNKNOWN = new Ceiling(Double.NaN, Double.NaN, Double.NaN);

        boolean saturated() {
            return refineryBusy >= SATURATED && pgbenchBusy >= SATURATED && !Double.isNaN(serverFree);
        }

        /** The "cores busy" and "ratio, server free" cells, after a separator. */
        List<String> cells() {
            if (Double.isNaN(serverFree)) return List.of("|", "-", "-");
            return List.of("|", String.format("%.0f%% / %.0f%%", 100 * refineryBusy, 100 * pgbenchBusy),
                    String.format("%.2f", serverFree));
        }
    }

    /**
     * How busy both sides kept the cores, and the ratio a server JVM costing nothing would reach: where the cores are
     * saturated, throughput is cores over CPU per operation, so PostgreSQL's and the client's share of a refine alone
     * bound it.
     */
    static Ceiling ceiling(CpuMeter.Sample refinery, Load.Result r, CpuMeter.Sample base, Pgbench.Result p, int cores) {
        double refineryCpu = CpuMeter.sum(refinery.server(), refinery.postgres(), refinery.client());
        double rest = CpuMeter.sum(refinery.postgres(), refinery.client());
        double baseCpu = CpuMeter.sum(base.postgres(), base.clientChildren());
        if (refineryCpu < 0 || baseCpu < 0 || r.okCount() == 0 || p.transactions() == 0 || p.perSecond() <= 0) {
            return Ceiling.UNKNOWN;
        }
        double refineryBusy = refineryCpu / (r.duration().toNanos() / 1e9 * cores);
        double pgbenchBusy = baseCpu / (p.transactions() / p.perSecond() * cores);
        double free = (baseCpu / p.transactions()) / (rest / r.okCount());
        return new Ceiling(refineryBusy, pgbenchBusy, free);
    }

    private static RefineryProcess.Config serverConfig(BenchDatabase db, int pool, List<String> javaOptions) {
        RefineryProcess.Config config = RefineryProcess.Config.of(db).withJvmOptions(javaOptions);
        return pool > 0 ? config.withEnvironment("REFINERY_DB_POOL_SIZE", Integer.toString(pool)) : config;
    }

    /** Each client writes new ids: {@code bench/RUN/tCLIENT/SEQ}, revision 1, like the pgbench script. */
    static Load.Result refine(RefineryProcess server, String run, int clients, Duration duration, int timeout) {
        return Load.run(server, clients, duration, timeout, (c, client, seq) -> c.post("/v1/refinements",
                Workload.refineWithReference("main", "bench/" + run + "/t" + client + "/" + seq, "c" + seq)));
    }
}
