package dev.refinery.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.VibeRef;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reliability: {@code kill -9} of the service in the middle of concurrent runs of a process whose middle step sleeps,
 * then a restart on the same database (its embedded Temporal server, which keeps nothing, starts empty: the saga rows
 * are what the restart resumes from). Afterwards every run is COMPLETED with the right result, and each has exactly
 * one result vibe and one result refinement.
 */
final class ProcessCrashCheck implements Benchmark {
    static final String PROCESS = "bench/processes/slow";
    private static final Pattern RESUMED = Pattern.compile("resumed (\\d+) run\\(s\\)");

    @Override
    public int run(Options options, Report report) throws Exception {
        int runs = options.integer("runs", 20);
        int sleepMillis = options.integer("sleep-ms", 5_000);
        Duration await = options.seconds("await", 120);
        int timeout = options.integer("timeout-ms", 30_000);
        report.header("rel-process-crash", "kill -9 of the service amid concurrent process runs: after a restart, one result each");
        Report.Checks checks = report.checks();
        try (PostgresServer pg = options.postgres(100);
             BenchDatabase db = BenchDatabase.create(pg)) {
            RefineryProcess.Config config = RefineryProcess.Config.of(db);
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            List<String> startErrors = Collections.synchronizedList(new ArrayList<>());
            long killedAfterMillis;
            RefineryProcess first = RefineryProcess.start(config);
            try {
                report.configuration(options, Map.of("postgres", pg.description(), "process",
                        "echo → sleep " + sleepMillis + " ms → echo, result = {n} of the input"));
                try (HttpConnection c = first.connect(timeout)) {
                    Workload.expect(c.post("/v1/refinements", Processes.refine("rel-process-crash: capabilities and process",
                            Processes.capability("bench/caps/echo", "{\"executor\":\"builtin\",\"function\":\"echo\"}"),
                            Processes.capability("bench/caps/sleep", "{\"executor\":\"builtin\",\"function\":\"sleep\"}"),
                            Processes.process(PROCESS, """
                                    {"steps": [
                                      {"name": "first", "capability": "aug:/bench/caps/echo", "input": {"n": {"$from": "/input/n"}}},
                                      {"name": "nap", "capability": "aug:/bench/caps/sleep", "input": {"ms": %d}},
                                      {"name": "last", "capability": "aug:/bench/caps/echo", "input": {"n": {"$from": "/steps/first/output/n"}}}],
                                     "result": {"$from": "/steps/last/output"}}""".formatted(sleepMillis),
                                    "{\"type\":\"object\",\"required\":[\"n\"]}", "{\"n\":0}"))), 201, "the capabilities and the process");
                }
                // all the runs at once, one client each
                long t0 = System.nanoTime();
                List<Thread> starters = new ArrayList<>();
                String[] byIndex = new String[runs];
                for (int i = 0; i < runs; i++) {
                    int n = i;
                    starters.add(Thread.ofVirtual().start(() -> {
                        try (HttpConnection c = first.connect(timeout)) {
                            HttpConnection.Response r = Processes.start(c, PROCESS, "{\"n\":" + n + "}");
                            if (r.status() == 202) byIndex[n] = Workload.parse(r.body()).path("id").asText();
                            else startErrors.add(r.status() + " " + Load.abbreviate(r.text()));
                        } catch (IOException e) {
                            startErrors.add(e.toString());
                        }
                    }));
                }
                for (Thread t : starters) t.join();
                for (String id : byIndex) if (id != null) ids.add(id);
                checks.check("every run started (202)", startErrors.isEmpty() && ids.size() == runs,
                        ids.size() + " of " + runs + " started" + (startErrors.isEmpty() ? "" : ", e.g. " + startErrors.getFirst()));
                // kill once every run has recorded its first step (so each is past its start, in or before its nap)
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && db.count("SELECT count(*) FROM saga_instances "
                        + "WHERE context #> '{steps,first}' IS NOT NULL") < ids.size()) {
                    PostgresServer.sleep(20);
                }
                first.kill();
                killedAfterMillis = (System.nanoTime() - t0) / 1_000_000;
            } finally {
                first.kill();
            }
            Map<String, Long> atKill = statesOf(db);
            long inFlight = db.count("SELECT count(*) FROM saga_instances WHERE status = 'RUNNING' "
                    + "AND context #> '{steps,first}' IS NOT NULL AND context #> '{steps,last}' IS NULL");
            report.line("killed (SIGKILL) %d ms after the first start; saga rows then (status/current state): %s",
                    killedAfterMillis, atKill);
            checks.check("every run was in flight at the kill (RUNNING, its first step recorded, its last not)",
                    inFlight == runs, inFlight + " of " + runs);

            try (RefineryProcess second = RefineryProcess.start(config);
                 HttpConnection c = second.connect(timeout)) {
                Matcher resumed = RESUMED.matcher(second.logText());
                String resumedText = resumed.find() ? resumed.group(1) : "0";
                report.line("restarted on the same database in %d ms; its log: resumed %s run(s)", second.readyMillis(), resumedText);
                checks.check("the restarted service resumed the interrupted runs", Integer.parseInt(resumedText) == runs,
                        "resumed " + resumedText + " of " + runs);

                Map<String, JsonNode> finished = new TreeMap<>();
                long awaitDeadline = System.nanoTime() + await.toNanos();
                for (String id : ids) {
                    JsonNode run = Processes.run(c, id);
                    while (run.path("status").asText().equals("RUNNING") && System.nanoTime() < awaitDeadline) {
                        PostgresServer.sleep(100);
                        run = Processes.run(c, id);
                    }
                    finished.put(id, run);
                }
                long completed = finished.values().stream().filter(r -> r.path("status").asText().equals("COMPLETED")).count();
                String notCompleted = finished.entrySet().stream().filter(e -> !e.getValue().path("status").asText().equals("COMPLETED"))
                        .map(e -> e.getKey() + " " + e.getValue().path("status").asText() + " " + e.getValue().path("error"))
                        .findFirst().orElse("");
                checks.check("every run COMPLETED after the restart", completed == runs,
                        completed + " of " + runs + " within " + await.toSeconds() + " s" + (notCompleted.isEmpty() ? "" : "; e.g. " + notCompleted));

                long oneResult = 0;
                long rightResult = 0;
                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    JsonNode run = finished.get(ids.get(i));
                    String ref = run.path("resultRef").asText("");
                    if (ref.isEmpty()) {
                        wrong.add(ids.get(i) + ": no resultRef");
                        continue;
                    }
                    String resultId = VibeRef.parse(ref).id().value();
                    JsonNode history = Workload.parse(Workload.expect(c.get("/v1/history/" + resultId + "?branch=main"), 200,
                            "the history of " + resultId).body()).path("items");
                    if (history.size() == 1 && history.path(0).path("ref").asText().equals(ref)) oneResult++;
                    else wrong.add(resultId + ": " + history.size() + " revision(s)");
                    int n = run.at("/context/input/n").asInt(-1);
                    if (history.size() >= 1 && history.path(0).at("/solution/n").asInt(-2) == n) rightResult++;
                }
                checks.check("exactly one result vibe per run (the history of its result id has one revision, the run's resultRef)",
                        oneResult == runs, oneResult + " of " + runs + (wrong.isEmpty() ? "" : "; e.g. " + wrong.getFirst()));
                checks.check("each result is the run's own ({n} of its input)", rightResult == runs, rightResult + " of " + runs);

                long processRefinements = Processes.all(c, "/v1/refinements?branch=main").stream()
                        .filter(r -> r.path("kind").asText().equals("process")).count();
                long inDatabase = db.count("SELECT count(*) FROM refinements WHERE kind = 'process'");
                checks.check("exactly " + runs + " refinements of kind process", processRefinements == runs && inDatabase == runs,
                        processRefinements + " listed by GET /v1/refinements, " + inDatabase + " in the database");
                long resultVibes = db.count("SELECT count(*) FROM vibes v JOIN refinements r ON r.id = v.refinement_id "
                        + "WHERE r.kind = 'process'");
                long sagas = db.count("SELECT count(*) FROM saga_instances");
                checks.check("nothing else was written: one saga row and one result vibe per run", resultVibes == runs && sagas == runs,
                        sagas + " saga rows, " + resultVibes + " vibes written by process refinements");
                checks.check("the service is healthy afterwards", c.get("/observe/health").status() == 200, "");
            }
        }
        return checks.finish();
    }

    /** How many saga rows are in each (status, current state). */
    private static Map<String, Long> statesOf(BenchDatabase db) throws Exception {
        Map<String, Long> states = new TreeMap<>();
        try (var c = db.admin(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT status || '/' || current_state, count(*) FROM saga_instances GROUP BY 1")) {
            while (rs.next()) states.put(rs.getString(1), rs.getLong(2));
        }
        return states;
    }
}
