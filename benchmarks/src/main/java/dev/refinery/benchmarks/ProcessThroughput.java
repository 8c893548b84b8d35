package dev.refinery.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.adapters.temporal.EmbeddedTemporal;
import dev.refinery.adapters.temporal.TemporalConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Item 5: runs per second of a 3-step builtin process (three {@code echo} capabilities) started over HTTP, against a
 * plain Temporal SDK workflow with 3 no-op activities run by a worker in this JVM on the same Temporal server (the
 * server's embedded one), closed loop at the same concurrencies.
 *
 * <p>A Refinery run is timed from sending {@code POST /v1/processes} to seeing its saga row COMPLETED: one watcher
 * thread reads the status of the runs in flight from {@code saga_instances} every {@code --poll-ms} (one indexed
 * query for all of them, cheaper for the 2 cores than each client polling {@code GET /v1/processes/{id}}); the
 * saga's own {@code createdAt → updatedAt} is printed beside it. A baseline run is timed from the start call to
 * its result ({@code getResult}, a long poll: no polling delay).
 */
final class ProcessThroughput implements Benchmark {
    static final String PROCESS = "bench/processes/three";

    /** What a closed-loop run of one side measured. */
    record Outcome(Duration elapsed, Latencies latencies, long failed, List<String> sampleErrors, List<String> runIds) {
        double perSecond() {
            return latencies.count() / (elapsed.toNanos() / 1e9);
        }
    }

    /** One run, start to finish: answers the run's id (the workflow id) and when it was seen finished. */
    @FunctionalInterface
    interface OneRun {
        String run(int client, long seq) throws Exception;
    }

    @Override
    public int run(Options options, Report report) throws Exception {
        List<Integer> concurrencies = options.integers("concurrency", "1,4,16");
        Duration duration = options.seconds("duration", 10);
        Duration warmup = options.seconds("warmup", 5);
        int pollMillis = options.integer("poll-ms", 2);
        int sample = options.integer("anatomy-sample", 200);
        int timeout = options.integer("timeout-ms", 60_000);
        // echo: pure builtins, local activities in Refinery's workflow; sleep (of 0 ms): steps that are not pure,
        // regular activity tasks as the baseline's, each recorded in the ledger right after it
        String function = options.text("steps", "echo");
        if (!function.equals("echo") && !function.equals("sleep")) {
            throw new IllegalArgumentException("--steps is echo or sleep, not " + function);
        }
        boolean sleeps = function.equals("sleep");
        report.header("process-throughput",
                "runs/s of a 3-step builtin process vs a plain Temporal workflow with 3 no-op activities, same Temporal server (item 5)");
        try (PostgresServer pg = options.postgres(100);
             BenchDatabase db = BenchDatabase.create(pg);
             RefineryProcess server = RefineryProcess.start(RefineryProcess.Config.of(db));
             TemporalConnection temporal = TemporalConnection.connect(server.temporalTarget(), EmbeddedTemporal.NAMESPACE,
                     false); // the embedded server answers worker heartbeats UNIMPLEMENTED
             TemporalBaseline baseline = TemporalBaseline.start(temporal.client());
             SagaWatcher watcher = new SagaWatcher(db, pollMillis)) {
            Map<String, String> more = new LinkedHashMap<>();
            more.put("postgres", pg.description());
            more.put("temporal", "the server's embedded test server on " + server.temporalTarget());
            more.put("refinery", "POST /v1/processes → saga COMPLETED (seen by a watcher polling saga_instances)");
            more.put("baseline", "worker in this JVM, task queue " + TemporalBaseline.TASK_QUEUE + ", start → getResult");
            report.configuration(options, more);
            try (HttpConnection c = server.connect(timeout)) {
                Workload.expect(c.post("/v1/refinements", Processes.refine("process-throughput: capabilities and process",
                        Processes.capability("bench/caps/step1", "{\"executor\":\"builtin\",\"function\":\"" + function + "\"}"),
                        Processes.capability("bench/caps/step2", "{\"executor\":\"builtin\",\"function\":\"" + function + "\"}"),
                        Processes.capability("bench/caps/step3", "{\"executor\":\"builtin\",\"function\":\"" + function + "\"}"),
                        Processes.process(PROCESS, sleeps ? """
                                {"steps": [
                                  {"name": "one", "capability": "aug:/bench/caps/step1", "input": {"ms": 0}},
                                  {"name": "two", "capability": "aug:/bench/caps/step2", "input": {"ms": 0}},
                                  {"name": "three", "capability": "aug:/bench/caps/step3", "input": {"ms": 0}}],
                                 "result": {"$from": "/steps/three/output"}}""" : """
                                {"steps": [
                                  {"name": "one", "capability": "aug:/bench/caps/step1", "input": {"n": {"$from": "/input/n"}}},
                                  {"name": "two", "capability": "aug:/bench/caps/step2", "input": {"$from": "/steps/one/output"}},
                                  {"name": "three", "capability": "aug:/bench/caps/step3", "input": {"$from": "/steps/two/output"}}],
                                 "result": {"$from": "/steps/three/output"}}""",
                                "{\"type\":\"object\",\"required\":[\"n\"]}", "{\"n\":0}"))), 201, "the capabilities and the process");
            }
            if (!warmup.isZero()) {
                Outcome rw = refinery(server, watcher, "w", 4, warmup, timeout);
                Outcome bw = baseline(baseline, "w", 4, warmup, timeout);
                report.line("warm-up: %d Refinery runs and %d baseline runs in %s s each at concurrency 4 (not counted)",
                        rw.latencies().count(), bw.latencies().count(), warmup.toSeconds());
            }
            Workload.analyze(db, report);
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("concurrency", "refinery runs/s", "p50 ms", "p99 ms", "saga p50", "saga p99", "failed",
                    "temporal runs/s", "p50 ms", "p99 ms", "failed", "ratio"));
            double worst = Double.MAX_VALUE;
            Map<Integer, Outcome[]> byLevel = new LinkedHashMap<>();
            for (int clients : concurrencies) {
                Outcome r = refinery(server, watcher, "c" + clients, clients, duration, timeout);
                Outcome b = baseline(baseline, "c" + clients, clients, duration, timeout);
                byLevel.put(clients, new Outcome[]{r, b});
                if (!r.sampleErrors().isEmpty()) report.line("  Refinery errors at %d: %s", clients, r.sampleErrors());
                if (!b.sampleErrors().isEmpty()) report.line("  baseline errors at %d: %s", clients, b.sampleErrors());
                Latencies saga = sagaDurations(db, r.runIds());
                double ratio = r.perSecond() / b.perSecond();
                worst = Math.min(worst, ratio);
                rows.add(List.of(Integer.toString(clients), Report.num(r.perSecond()), Report.ms(r.latencies().p50()),
                        Report.ms(r.latencies().p99()), Report.ms(saga.p50()), Report.ms(saga.p99()), Long.toString(r.failed()),
                        Report.num(b.perSecond()), Report.ms(b.latencies().p50()), Report.ms(b.latencies().p99()),
                        Long.toString(b.failed()), String.format(java.util.Locale.ROOT, "%.2f", ratio)));
            }
            report.table(rows);
            report.line("p50/p99: from the client (Refinery: POST sent → COMPLETED seen, ≤ %d ms of polling included; "
                    + "baseline: start → result); saga: the saga row's createdAt → updatedAt (server side)", pollMillis);
            report.line("every Refinery run writes its result vibe (a refinement of kind process): %d in the ledger",
                    db.count("SELECT count(*) FROM refinements WHERE kind = 'process'"));
            report.ratio("refinery/temporal runs/s (lowest over the concurrencies)", worst, 0.7);
            if (sample > 0) {
                List<Integer> shown = concurrencies.size() == 1 ? concurrencies
                        : List.of(concurrencies.getFirst(), concurrencies.getLast());
                for (int clients : shown) {
                    Outcome[] o = byLevel.get(clients);
                    report.line("");
                    report.line("where the time goes at concurrency %d, from the Temporal histories (server times):", clients);
                    RunAnatomy.of(temporal.client(), o[0].runIds(), sample).print(report, "Refinery (workflow id = saga id)");
                    RunAnatomy.of(temporal.client(), o[1].runIds(), sample).print(report, "baseline");
                }
            }
        }
        return 0;
    }

    /** Closed loop: each client starts a run over HTTP, waits for the watcher to see it finished, and starts the next. */
    static Outcome refinery(RefineryProcess server, SagaWatcher watcher, String level, int clients, Duration duration,
                           int timeout) {
        HttpConnection[] connections = new HttpConnection[clients];
        for (int i = 0; i < clients; i++) connections[i] = server.connect(timeout);
        try {
            return closedLoop(clients, duration, (client, seq) -> {
                HttpConnection.Response started = Processes.start(connections[client], PROCESS,
                        "{\"n\":" + seq + ",\"at\":\"" + level + "/" + client + "\"}");
                if (started.status() != 202) throw new IllegalStateException("POST /v1/processes answered "
                        + started.status() + " " + Load.abbreviate(started.text()));
                String id = Workload.parse(started.body()).path("id").asText();
                String status = watcher.await(UUID.fromString(id), timeout);
                if (!status.equals("COMPLETED")) {
                    JsonNode run = Processes.run(connections[client], id);
                    throw new IllegalStateException("run " + id + " ended " + status + ": " + run.path("error"));
                }
                return id;
            });
        } finally {
            for (HttpConnection c : connections) c.close();
        }
    }

    static Outcome baseline(TemporalBaseline baseline, String level, int clients, Duration duration, int timeout) {
        String prefix = "bench-" + level + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        return closedLoop(clients, duration, (client, seq) -> {
            String id = prefix + client + "-" + seq;
            String input = "{\"n\":" + seq + "}";
            String output = baseline.run(id, input, Duration.ofMillis(timeout));
            if (!input.equals(output)) throw new IllegalStateException("workflow " + id + " answered " + output);
            return id;
        });
    }

    /** {@code clients} virtual threads, each running one run after the other until the time is up; the last ones finish. */
    static Outcome closedLoop(int clients, Duration duration, OneRun one) {
        Latencies latencies = new Latencies();
        AtomicLong failed = new AtomicLong();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        Load.inParallel(clients, "run-client-", client -> {
            for (long seq = 0; System.nanoTime() < end; seq++) {
                long t0 = System.nanoTime();
                try {
                    String id = one.run(client, seq);
                    latencies.add(System.nanoTime() - t0);
                    ids.add(id);
                } catch (Exception e) {
                    failed.incrementAndGet();
                    if (errors.size() < 5) errors.add(Load.abbreviate(e.toString()));
                }
            }
        });
        return new Outcome(Duration.ofNanos(System.nanoTime() - start), latencies, failed.get(), List.copyOf(errors),
                List.copyOf(ids));
    }

    /** The saga rows' createdAt → updatedAt (the update that marked them COMPLETED), server side. */
    static Latencies sagaDurations(BenchDatabase db, List<String> ids) throws SQLException {
        Latencies l = new Latencies();
        try (Connection c = db.admin();
             PreparedStatement p = c.prepareStatement("SELECT extract(epoch FROM updated_at - created_at) FROM saga_instances "
                     + "WHERE id = ANY (?) AND status = 'COMPLETED'")) {
            p.setArray(1, c.createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) l.add(Math.round(rs.getDouble(1) * 1e9));
            }
        }
        return l;
    }

    /**
     * Sees runs finish: one thread reads {@code saga_instances} for the runs awaited, every {@code pollMillis}, in one
     * query, and wakes their clients with the status they ended in.
     */
    static final class SagaWatcher implements AutoCloseable {
        private final Map<UUID, CompletableFuture<String>> awaited = new ConcurrentHashMap<>();
        private final Connection connection;
        private final Thread thread;
        private volatile boolean closed;

        SagaWatcher(BenchDatabase db, int pollMillis) throws SQLException {
            this.connection = db.admin();
            this.thread = Thread.ofPlatform().daemon().name("saga-watcher").start(() -> {
                try (PreparedStatement p = connection.prepareStatement(
                        "SELECT id, status FROM saga_instances WHERE id = ANY (?) AND status <> 'RUNNING'")) {
                    while (!closed) {
                        if (!awaited.isEmpty()) poll(p);
                        LockSupport.parkNanos(pollMillis * 1_000_000L);
                    }
                } catch (SQLException e) {
                    if (!closed) awaited.values().forEach(f -> f.completeExceptionally(e));
                }
            });
        }

        private void poll(PreparedStatement p) throws SQLException {
            Array ids = connection.createArrayOf("uuid", awaited.keySet().toArray());
            p.setArray(1, ids);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    CompletableFuture<String> f = awaited.remove(rs.getObject(1, UUID.class));
                    if (f != null) f.complete(rs.getString(2));
                }
            }
        }

        /** The status the run ended in (COMPLETED, FAILED, CANCELLED). */
        String await(UUID id, int timeoutMillis) throws InterruptedException, ExecutionException, TimeoutException {
            CompletableFuture<String> f = awaited.computeIfAbsent(id, k -> new CompletableFuture<>());
            try {
                return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } finally {
                awaited.remove(id);
            }
        }

        @Override
        public void close() throws SQLException {
            closed = true;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.close();
        }
    }
}
