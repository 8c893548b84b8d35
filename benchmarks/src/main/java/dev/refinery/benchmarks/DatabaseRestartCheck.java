package dev.refinery.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reliability: PostgreSQL restarted under load ({@code pg_ctlcluster … restart}), then stopped for a few
 * seconds and started again, while clients refine. Requests during the outages fail with a 503 problem
 * (with Retry-After), none waits longer than the pool's connection timeout allows, the service recovers
 * by itself, and every acknowledged write is there afterwards. Always on a private cluster.
 */
final class DatabaseRestartCheck implements Benchmark {
    /** Hikari's connection timeout as bootstrap configures it (Database.open: 5 s). */
    static final int CONFIGURED_TIMEOUT_MS = 5_000;

    record Sample(long startedNanos, long nanos, int status, boolean problem, String retryAfter, String error) {}

    record Ack(String ref, String digest) {}

    @Override
    public int run(Options options, Report report) throws Exception {
        int clients = options.integer("clients", 16);
        Duration before = options.seconds("before", 8);
        Duration between = options.seconds("between", 8);
        Duration outage = options.seconds("outage", 5);
        Duration after = options.seconds("after", 8);
        int hangMillis = options.integer("hang-ms", 2 * CONFIGURED_TIMEOUT_MS);
        report.header("rel-db-restart", "PostgreSQL restarted and stopped under load: 503 problems, no hang, no lost write");
        Report.Checks checks = report.checks();
        try (PostgresServer pg = PostgresServer.privateCluster(100);
             BenchDatabase db = BenchDatabase.create(pg);
             RefineryProcess server = RefineryProcess.start(RefineryProcess.Config.of(db))) {
            report.configuration(options, Map.of("postgres", pg.description(), "configured-timeout-ms",
                    CONFIGURED_TIMEOUT_MS + " (the pool's connection timeout)"));
            try (HttpConnection c = server.connect(30_000)) {
                Workload.expect(c.post("/v1/refinements", Workload.addressSchemaRefine()), 201, "the address schema");
            }
            Queue<Sample> samples = new ConcurrentLinkedQueue<>();
            Queue<Ack> acks = new ConcurrentLinkedQueue<>();
            Duration total = before.plus(between).plus(outage).plus(after).plus(Duration.ofSeconds(2));
            long t0 = System.nanoTime();
            Thread load = Thread.ofVirtual().start(() -> Load.run(server, clients, total, 4 * hangMillis, (c, client, seq) -> {
                long start = System.nanoTime();
                try {
                    HttpConnection.Response r = c.post("/v1/refinements",
                            Workload.refineWithReference("main", "restart/t" + client + "/" + seq, "c" + seq));
                    samples.add(new Sample(start - t0, System.nanoTime() - start, r.status(), r.isProblem(), r.header("retry-after"), null));
                    if (r.status() == 201) {
                        JsonNode v = Workload.parse(r.body()).path("vibes").path(0);
                        acks.add(new Ack(v.path("ref").asText(), v.path("digest").asText()));
                    }
                    return r;
                } catch (IOException e) {
                    samples.add(new Sample(start - t0, System.nanoTime() - start,
                            e instanceof HttpConnection.TimeoutException ? -1 : 0, false, "", e.toString()));
                    throw e;
                }
            }));
            List<String> events = new ArrayList<>();
            sleep(before);
            long restartAt = System.nanoTime() - t0;
            pg.restart();
            long restartedAt = System.nanoTime() - t0;
            events.add(String.format("pg_ctlcluster restart at %.1f s, done at %.1f s", restartAt / 1e9, restartedAt / 1e9));
            sleep(between);
            long stopAt = System.nanoTime() - t0;
            pg.stop();
            sleep(outage);
            pg.start();
            long startedAgainAt = System.nanoTime() - t0;
            events.add(String.format("pg_ctlcluster stop at %.1f s, start done at %.1f s", stopAt / 1e9, startedAgainAt / 1e9));
            load.join();
            events.forEach(report::line);

            List<Sample> all = new ArrayList<>(samples);
            all.sort(java.util.Comparator.comparingLong(Sample::startedNanos));
            timeline(report, all);
            judge(checks, db, all, new ArrayList<>(acks), hangMillis, startedAgainAt);
            try (HttpConnection c = server.connect(30_000)) {
                checks.check("the server is healthy afterwards", c.get("/observe/health").status() == 200, "");
            }
        }
        return checks.finish();
    }

    /** Answers per second, by status, so a reader sees the outages. */
    private static void timeline(Report report, List<Sample> all) {
        Map<Long, Map<String, Integer>> bySecond = new TreeMap<>();
        for (Sample s : all) {
            String key = s.error() != null ? (s.status() == -1 ? "timeout" : "io-error") : Integer.toString(s.status());
            bySecond.computeIfAbsent(s.startedNanos() / 1_000_000_000L, k -> new TreeMap<>()).merge(key, 1, Integer::sum);
        }
        StringBuilder line = new StringBuilder("answers by second of sending: ");
        bySecond.forEach((sec, m) -> {
            line.append(sec).append("s[");
            m.forEach((k, v) -> line.append(k).append('×').append(v).append(' '));
            line.setLength(line.length() - 1);
            line.append("] ");
        });
        report.line(line.toString().strip());
    }

    private static void judge(Report.Checks checks, BenchDatabase db, List<Sample> all, List<Ack> acks, int hangMillis,
                              long dbBackAtNanos) throws Exception {
        List<Sample> failed = all.stream().filter(s -> s.status() != 201).toList();
        Map<String, Integer> kinds = new TreeMap<>();
        failed.forEach(s -> kinds.merge(s.error() != null ? s.error() : Integer.toString(s.status()), 1, Integer::sum));
        checks.check("the outages were seen (some requests failed)", !failed.isEmpty(), failed.size() + " failed of " + all.size());
        List<Sample> not503 = failed.stream().filter(s -> s.status() != 503 || !s.problem() || s.retryAfter().isEmpty()).toList();
        checks.check("every failed request answered 503 application/problem+json with Retry-After", not503.isEmpty(),
                "failures: " + kinds);
        double longest = all.stream().mapToLong(Sample::nanos).max().orElse(0) / 1e6;
        double longestFailed = failed.stream().mapToLong(Sample::nanos).max().orElse(0) / 1e6;
        checks.check("no request waited longer than " + hangMillis + " ms (2 × the pool's connection timeout)",
                longest <= hangMillis, String.format("longest answer %.0f ms, longest failed answer %.0f ms", longest, longestFailed));
        long lastFailureNanos = failed.stream().mapToLong(s -> s.startedNanos() + s.nanos()).max().orElse(0);
        long okAfter = all.stream().filter(s -> s.status() == 201 && s.startedNanos() > lastFailureNanos).count();
        checks.check("the service recovered by itself after PostgreSQL was back", okAfter > 0,
                String.format("last failure answered %.1f s after PostgreSQL was started again; %d refines acknowledged after it",
                        (lastFailureNanos - dbBackAtNanos) / 1e9, okAfter));
        Map<String, String> stored = new HashMap<>();
        try (Connection c = db.admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ref, digest FROM vibes WHERE id LIKE 'restart/%'")) {
            while (rs.next()) stored.put(rs.getString(1), rs.getString(2));
        }
        long missing = acks.stream().filter(a -> !a.digest().equals(stored.get(a.ref()))).count();
        checks.check("every acknowledged write is there", missing == 0 && !acks.isEmpty(),
                acks.size() + " acknowledged, " + missing + " missing; " + (stored.size() - acks.size())
                        + " written but not acknowledged (their answer was lost in the outage)");
    }

    private static void sleep(Duration d) {
        PostgresServer.sleep(d.toMillis());
    }
}
