package dev.refinery.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.TokenHash;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reliability: the attacks of issue 15 ("safe by default"), one named check each, against servers of the run's
 * own database: a server without tokens (what a web page on the same machine can reach), one with tokens, and one
 * server each for the attacks that may wedge a server (a backtracking pattern, an amplifying process), killed after
 * their check. Each check is independent (one failing, or failing to run, does not stop the others) and bounded in
 * time by the client's timeout. A check passes when the attack is refused as issue 15 asks: a 4xx with a reason,
 * nothing written, no 5xx, no hang.
 */
final class HostileCheck implements Benchmark {
    private static final String ROOT_ROLE = "main@roles/root?1";
    /** What a step's failure must say when a size cap stopped it. */
    private static final Pattern SIZE_REASON = Pattern.compile("(?i)larger than|too large|bytes|size|cap\\b|limit");
    private static final String EVIL = "http://evil.example";

    /** What one check concluded. */
    record Verdict(boolean ok, String detail) {}

    /** One check's attack and judgement; may throw, which fails the check (and only it). */
    interface Attack {
        Verdict run() throws Exception;
    }

    private int timeout;
    private int regexMillis;
    private Duration runAwait;
    private int amplifyBytes;
    private int amplifyFactor;
    private int bombLevels;
    private int bombDescriptionBytes;
    private int deepLevels;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Override
    public int run(Options options, Report report) throws Exception {
        timeout = options.integer("timeout-ms", 10_000);
        regexMillis = options.integer("regex-ms", 3_000);
        runAwait = options.seconds("run-await", 30);
        amplifyBytes = options.integer("amplify-bytes", 65_536);
        amplifyFactor = options.integer("amplify-factor", 32);
        bombLevels = options.integer("bomb-levels", 12);
        bombDescriptionBytes = options.integer("bomb-description-bytes", 32_768);
        deepLevels = options.integer("deep-levels", 40);
        report.header("rel-hostile", "the attacks of issue 15, one check each: refused with a 4xx, bounded, nothing written");
        Report.Checks checks = report.checks();
        try (PostgresServer pg = options.postgres(100);
             BenchDatabase db = BenchDatabase.create(pg)) {
            report.configuration(options, Map.of("postgres", pg.description(),
                    "bomb", bombLevels + " levels × 2 refs, " + bombDescriptionBytes + " B each ≈ "
                            + ((1L << (bombLevels + 1)) - 1) * bombDescriptionBytes / 1_048_576 + " MiB inlined",
                    "amplify", amplifyBytes + " B × " + amplifyFactor + " × " + amplifyFactor));

            report.line("-- a server without tokens (auth none, loopback): what any web page on this machine can reach");
            phase(checks, report, RefineryProcess.Config.of(db), false, List.of(
                    "POST /v1/refinements without Content-Type → 415, nothing written",
                    "POST /v1/refinements with a content type a web page sends without asking (text/plain, form, multipart) → 415, nothing written",
                    "Host of another name (DNS rebinding: evil.example, 127.0.0.1.nip.io, localhost.evil.example) → 421 or 403, no ledger data, nothing written",
                    "Host: localhost:PORT and 127.0.0.1:PORT → 200",
                    "a write with Origin: http://evil.example → 403, nothing written",
                    "a write with Origin: null (a sandboxed page) → 403, nothing written",
                    "a write from Refinery's own origin (http://127.0.0.1:PORT, http://localhost:PORT) → not 403",
                    "refine: the same idempotencyKey with another body → 422 idempotency-key-reused naming the first, nothing written",
                    "refine: the same idempotencyKey with the same body → the first answer again",
                    "merge: the same idempotencyKey with another body → 422 idempotency-key-reused naming the first",
                    "merge: the same idempotencyKey with the same body → the first answer again",
                    "process start: the same idempotencyKey with another input → 422 idempotency-key-reused naming the first run",
                    "process start: the same idempotencyKey with the same input → the first run again",
                    "a client refining with a run's id as its idempotencyKey does not hijack the run's result",
                    "a temporal-activity CAPABILITY naming Refinery's own queues or activities (Saga.CompleteRun, Step.Call) → 422 at write",
                    "a lone UTF-16 surrogate in a solution → 422 (in a key: 400 or 422), nothing written",
                    "a lone UTF-16 surrogate in a process input → 422, no run",
                    "a body nested past Jackson's limit → 4xx, not 500",
                    "an inlined view nested past Jackson's writer limit → 422, not 500",
                    "inlined bomb (a schema referencing the one before twice, with a large description) → 422 within the timeout",
                    "the server logged no incident (unexpected exception)",
                    "the server is healthy afterwards"), this::unauthenticated);

            report.line("-- a server with tokens (auth token)");
            phase(checks, report, RefineryProcess.Config.of(db).withAuth("token"), false, List.of(
                    "an expired token → 401",
                    "a revoked token (DELETE /v1/tokens/{id} by an admin) → 401",
                    "a token limited to feature/* writing to main or another branch → 403 (to feature/… it may)",
                    "a write token (not admin) refining on protected main → 403 (admin may, and so may it elsewhere)"),
                    (server, list) -> tokens(server, db, list));

            report.line("-- a server of its own (killed after): patterns that backtrack");
            phase(checks, report, RefineryProcess.Config.of(db), true, List.of(
                    "catastrophic regex (pattern, patternProperties ^(.*a){25}$), 3 dry runs at once → each answered within "
                            + regexMillis + " ms, /observe/health 200 meanwhile"), this::regex);

            report.line("-- a server of its own (killed after): a process whose template steps amplify their input");
            phase(checks, report, RefineryProcess.Config.of(db), true, List.of(
                    "a process amplifying its input (template steps ×" + amplifyFactor + " each) ends FAILED on a size cap within "
                            + runAwait.toSeconds() + " s",
                    "the server is healthy after the amplifying run"), this::amplification);
        }
        return checks.finish();
    }

    // ---- the phases: one server each, a list of named checks on it ----

    /** The checks of one phase, in the order of their names: each gets a name, the phase fills in the attacks. */
    private interface Phase {
        void run(RefineryProcess server, Named named) throws Exception;
    }

    /** Runs the named checks in order; a check the phase did not get to fails with why. */
    private final class Named {
        private final Report.Checks checks;
        private final List<String> names;
        private int next;

        Named(Report.Checks checks, List<String> names) {
            this.checks = checks;
            this.names = names;
        }

        void check(Attack attack) {
            String name = names.get(next++);
            Verdict v;
            try {
                v = attack.run();
            } catch (Exception | AssertionError e) {
                v = new Verdict(false, "the check could not run: " + e);
            }
            checks.check(name, v.ok(), v.detail());
        }

        void failRest(String why) {
            while (next < names.size()) checks.check(names.get(next++), false, why);
        }
    }

    private void phase(Report.Checks checks, Report report, RefineryProcess.Config config, boolean killAfter, List<String> names,
                       Phase phase) {
        Named named = new Named(checks, names);
        RefineryProcess server;
        try {
            server = RefineryProcess.start(config);
        } catch (RuntimeException e) {
            named.failRest("the server did not start: " + Load.abbreviate(String.valueOf(e.getMessage())));
            return;
        }
        try {
            phase.run(server, named);
        } catch (Exception | AssertionError e) {
            report.line("  (the phase stopped: %s)", e);
        } finally {
            named.failRest("not run: the phase stopped before it");
            if (killAfter) server.kill();
            else server.close();
        }
    }

    // ---- auth none ----

    private void unauthenticated(RefineryProcess server, Named named) throws Exception {
        Client c = new Client(server, Map.of());
        String port = Integer.toString(server.port());
        try {
            setUpProcesses(c);
        } catch (Exception e) {
            named.checks.check("set-up: capabilities and processes written", false, e.toString());
        }

        // 1. Content-Type
        named.check(() -> {
            String id = id("ct/none");
            HttpConnection.Response r = c.raw("POST", "/v1/refinements", refine(id, "1"), Map.of());
            int after = c.status("/v1/vibes/" + id);
            return verdict(r.status() == 415 && after == 404, "answered " + describe(r) + "; then GET of its vibe " + after);
        });
        named.check(() -> {
            List<String> seen = new ArrayList<>();
            boolean ok = true;
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
                String id = id("ct/" + type.replaceAll("[^a-z]", ""));
                HttpConnection.Response r = c.raw("POST", "/v1/refinements", refine(id, "1"), Map.of("Content-Type", type));
                int after = c.status("/v1/vibes/" + id);
                ok &= r.status() == 415 && after == 404;
                seen.add(type + " → " + describe(r) + ", then GET " + after);
            }
            return verdict(ok, String.join("; ", seen));
        });

        // 2. DNS rebinding
        named.check(() -> {
            List<String> seen = new ArrayList<>();
            boolean ok = true;
            for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.nip.io:" + port,
                    "localhost.evil.example:" + port)) {
                HttpConnection.Response list = c.raw("GET", "/v1/vibes?branch=main&prefix=hostile/", null, Map.of("Host", host));
                String id = id("host/" + host.replaceAll("[^a-z0-9]", ""));
                HttpConnection.Response write = c.raw("POST", "/v1/refinements", refine(id, "1"),
                        Map.of("Host", host, "Content-Type", "application/json"));
                int after = c.status("/v1/vibes/" + id);
                boolean refused = (list.status() == 421 || list.status() == 403) && !list.text().contains("hostile/")
                        && (write.status() == 421 || write.status() == 403) && after == 404;
                ok &= refused;
                seen.add(host + ": GET " + list.status() + (list.text().contains("hostile/") ? " (with ledger data)" : "")
                        + ", POST " + write.status() + ", written: " + (after != 404));
            }
            return verdict(ok, String.join("; ", seen));
        });
        named.check(() -> {
            HttpConnection.Response local = c.raw("GET", "/v1/vibes?branch=main&limit=1", null, Map.of("Host", "localhost:" + port));
            HttpConnection.Response ip = c.raw("GET", "/v1/vibes?branch=main&limit=1", null, Map.of("Host", "127.0.0.1:" + port));
            return verdict(local.status() == 200 && ip.status() == 200, "localhost → " + local.status() + ", 127.0.0.1 → " + ip.status());
        });

        // 3. Origin
        named.check(() -> originRefused(c, EVIL));
        named.check(() -> originRefused(c, "null"));
        named.check(() -> {
            List<String> seen = new ArrayList<>();
            boolean ok = true;
            for (String host : List.of("127.0.0.1:" + port, "localhost:" + port)) {
                String id = id("origin/own/" + host.replaceAll("[^a-z0-9]", ""));
                HttpConnection.Response r = c.raw("POST", "/v1/refinements", refine(id, "1"),
                        Map.of("Host", host, "Origin", "http://" + host, "Content-Type", "application/json"));
                ok &= r.status() != 403 && r.status() < 500;
                seen.add("http://" + host + " → " + describe(r));
            }
            return verdict(ok, String.join("; ", seen));
        });

        // 4. idempotency keys
        String refineKey = key();
        String firstRefine = refineBody(id("idem/refine"), "{\"n\":1}", refineKey);
        HttpConnection.Response[] firstRefineAnswer = new HttpConnection.Response[1];
        named.check(() -> {
            HttpConnection.Response first = c.post("/v1/refinements", firstRefine);
            firstRefineAnswer[0] = first;
            if (first.status() != 201) return new Verdict(false, "the first refine answered " + describe(first));
            String refinement = Workload.parse(first.body()).at("/refinement/id").asText();
            HttpConnection.Response second = c.post("/v1/refinements", refineBody(id("idem/refine"), "{\"n\":2}", refineKey));
            JsonNode stored = c.json("/v1/vibes/" + id("idem/refine"));
            boolean ok = keyReused(second, refinement) && stored.at("/solution/n").asInt() == 1
                    && stored.path("ref").asText().endsWith("?1");
            return verdict(ok, "first refinement " + refinement + "; another body → " + describe(second)
                    + "; stored: " + stored.path("ref").asText() + " n=" + stored.at("/solution/n"));
        });
        named.check(() -> replay(c, "/v1/refinements", firstRefine, firstRefineAnswer[0], "/refinement/id"));

        String mergeKey = key();
        String source = "hostile-" + run + "-src";
        String firstMerge = "{\"source\":\"" + source + "\",\"target\":\"main\",\"message\":\"first\",\"idempotencyKey\":\""
                + mergeKey + "\"}";
        HttpConnection.Response[] firstMergeAnswer = new HttpConnection.Response[1];
        named.check(() -> {
            Workload.expect(c.post("/v1/branches", "{\"name\":\"" + source + "\",\"from\":\"main\"}"), 201, "fork " + source);
            Workload.expect(c.post("/v1/refinements", refineOn(source, id("idem/merged"), "1")), 201, "a refine on " + source);
            HttpConnection.Response first = c.post("/v1/merges", firstMerge);
            firstMergeAnswer[0] = first;
            if (first.status() != 201) return new Verdict(false, "the first merge answered " + describe(first));
            String refinement = Workload.parse(first.body()).at("/refinement/id").asText();
            HttpConnection.Response second = c.post("/v1/merges", firstMerge.replace("\"first\"", "\"second\""));
            return verdict(keyReused(second, refinement), "first merge refinement " + refinement + "; another body → " + describe(second));
        });
        named.check(() -> replay(c, "/v1/merges", firstMerge, firstMergeAnswer[0], "/refinement/id"));

        String processKey = key();
        String firstStart = startBody("hostile/processes/echo", "{\"n\":1}", processKey);
        HttpConnection.Response[] firstStartAnswer = new HttpConnection.Response[1];
        named.check(() -> {
            HttpConnection.Response first = c.post("/v1/processes", firstStart);
            firstStartAnswer[0] = first;
            if (first.status() != 202) return new Verdict(false, "the first start answered " + describe(first));
            String runId = Workload.parse(first.body()).path("id").asText();
            HttpConnection.Response second = c.post("/v1/processes", startBody("hostile/processes/echo", "{\"n\":2}", processKey));
            return verdict(keyReused(second, runId), "first run " + runId + "; another input → " + describe(second));
        });
        named.check(() -> replay(c, "/v1/processes", firstStart, firstStartAnswer[0], "/id"));

        // 5. a run's result hijacked through its idempotency key
        named.check(() -> hijack(c));

        // 6. internal activities
        named.check(() -> {
            List<String> seen = new ArrayList<>();
            boolean ok = true;
            int i = 0;
            for (String context : List.of(
                    "{\"executor\":\"temporal-activity\",\"taskQueue\":\"refinery\",\"activityType\":\"Saga.CompleteRun\"}",
                    "{\"executor\":\"temporal-activity\",\"taskQueue\":\"refinery-steps\",\"activityType\":\"Step.Call\"}",
                    "{\"executor\":\"temporal-activity\",\"taskQueue\":\"elsewhere\",\"activityType\":\"Saga.RecordStep\"}")) {
                String id = id("caps/internal/" + i++);
                HttpConnection.Response r = c.post("/v1/refinements", Processes.refine("rel-hostile: internal activity",
                        Processes.capability(id, context)));
                int after = c.status("/v1/vibes/" + id);
                ok &= r.status() == 422 && after == 404;
                JsonNode ctx = Workload.parse(context.getBytes(StandardCharsets.UTF_8));
                seen.add(ctx.path("taskQueue").asText() + "/" + ctx.path("activityType").asText() + " → " + describe(r)
                        + (after != 404 ? " (written)" : ""));
            }
            return verdict(ok, String.join("; ", seen));
        });

        // 9. lone surrogates
        named.check(() -> {
            List<String> seen = new ArrayList<>();
            boolean ok = true;
            // in a key, Jackson's parser itself may refuse it as malformed JSON (400): a 4xx, nothing written, will do
            String[] solutions = {"\"a\\ud800b\"", "{\"\\ud800\":1}", "{\"\\udc00\":1}"};
            for (int i = 0; i < solutions.length; i++) {
                String id = id("surrogate/" + i);
                String body = "{\"branch\":\"main\",\"message\":\"rel-hostile\",\"vibes\":[{\"id\":\"" + id
                        + "\",\"kind\":\"RECORD\",\"schema\":{},\"solution\":" + solutions[i] + "}]}";
                HttpConnection.Response r = c.post("/v1/refinements", body);
                int after = c.status("/v1/vibes/" + id);
                ok &= (r.status() == 422 || (i > 0 && r.status() == 400)) && after == 404;
                seen.add(solutions[i] + " → " + describe(r) + (after != 404 ? " (written)" : ""));
            }
            return verdict(ok, String.join("; ", seen));
        });
        named.check(() -> {
            long before = runs(c);
            HttpConnection.Response r = c.post("/v1/processes", startBody("hostile/processes/echo", "{\"n\":1,\"s\":\"\\udfff\"}", null));
            long after = runs(c);
            return verdict(r.status() == 422 && after == before, describe(r) + "; runs " + before + " → " + after);
        });

        // 10. nesting
        named.check(() -> {
            int depth = 5_000;
            String body = "{\"branch\":\"main\",\"vibes\":[{\"id\":\"" + id("deep") + "\",\"kind\":\"RECORD\",\"schema\":{},"
                    + "\"solution\":" + "[".repeat(depth) + "]".repeat(depth) + "}]}";
            HttpConnection.Response r = c.post("/v1/refinements", body);
            return verdict(r.status() >= 400 && r.status() < 500, depth + " nested arrays → " + describe(r));
        });
        named.check(() -> deepAnswer(c));

        // 8. the inlined bomb, last on this server: it may keep the server busy
        named.check(() -> bomb(c, server));

        named.check(() -> {
            long incidents = server.logText().lines().filter(l -> l.contains("incident")).count();
            String first = server.logText().lines().filter(l -> l.contains("incident")).findFirst().orElse("");
            return verdict(incidents == 0, incidents + " incident line(s) in " + server.log()
                    + (first.isEmpty() ? "" : ", e.g. " + Load.abbreviate(first)));
        });
        named.check(() -> verdict(c.status("/observe/health") == 200, ""));
    }

    private Verdict originRefused(Client c, String origin) throws IOException {
        String id = id("origin/" + origin.replaceAll("[^a-z]", ""));
        HttpConnection.Response r = c.raw("POST", "/v1/refinements", refine(id, "1"),
                Map.of("Origin", origin, "Content-Type", "application/json"));
        int after = c.status("/v1/vibes/" + id);
        return verdict(r.status() == 403 && after == 404, "Origin: " + origin + " → " + describe(r) + "; then GET of its vibe " + after);
    }

    /** A 422 whose problem type ends in idempotency-key-reused and whose text names {@code first}. */
    private static boolean keyReused(HttpConnection.Response r, String first) {
        if (r.status() != 422 || !r.isProblem()) return false;
        JsonNode problem = Workload.parse(r.body());
        boolean namesFirst = problem.at("/refinement/id").asText().equals(first) || problem.at("/run/id").asText().equals(first)
                || Pattern.compile("\\b" + Pattern.quote(first) + "\\b").matcher(problem.path("detail").asText()).find();
        return problem.path("type").asText().endsWith("idempotency-key-reused") && namesFirst;
    }

    private static Verdict replay(Client c, String path, String body, HttpConnection.Response first, String idPointer)
            throws IOException {
        if (first == null || first.status() >= 300) return new Verdict(false, "the first request did not succeed");
        String firstId = Workload.parse(first.body()).at(idPointer).asText();
        HttpConnection.Response again = c.post(path, body);
        String againId = again.status() < 300 ? Workload.parse(again.body()).at(idPointer).asText() : "-";
        boolean ok = (again.status() == 200 || again.status() == 201) && againId.equals(firstId);
        return verdict(ok, "first " + firstId + "; the same body again → " + again.status() + " " + againId
                + (again.status() >= 300 ? " " + Load.abbreviate(again.text()) : ""));
    }

    private Verdict hijack(Client c) throws Exception {
        HttpConnection.Response started = c.post("/v1/processes", startBody("hostile/processes/nap", "{\"n\":7,\"ms\":3000}", null));
        if (started.status() != 202) return new Verdict(false, "the run did not start: " + describe(started));
        String runId = Workload.parse(started.body()).path("id").asText();
        String squat = id("hijack/squat");
        HttpConnection.Response client = c.post("/v1/refinements", refineBody(squat, "{\"stolen\":true}", runId));
        String clientRef = client.status() < 300 ? Workload.parse(client.body()).at("/refinement/outputRefs/0").asText() : "";
        JsonNode runNow = c.json("/v1/processes/" + runId);
        boolean raced = !runNow.path("status").asText().equals("RUNNING");
        JsonNode finished = awaitRun(c, runId);
        String status = finished.path("status").asText();
        String resultRef = finished.path("resultRef").asText("");
        int n = -1;
        if (!resultRef.isEmpty()) {
            String resultId = resultRef.substring(resultRef.indexOf('@') + 1, resultRef.lastIndexOf('?'));
            n = c.json("/v1/vibes/" + resultId + "?branch=main").at("/solution/n").asInt(-1);
        }
        boolean ok = !raced && status.equals("COMPLETED") && resultRef.startsWith("main@runs/") && !resultRef.equals(clientRef) && n == 7;
        return verdict(ok, "run " + runId + "; the client's refine with its id as key → " + client.status()
                + (clientRef.isEmpty() ? "" : " " + clientRef) + (raced ? " (after the run had finished: not an attack)" : "")
                + "; the run: " + status + ", resultRef " + (resultRef.isEmpty() ? "-" : resultRef) + ", its n " + n
                + (finished.path("error").isMissingNode() || finished.path("error").isNull() ? "" : ", error " + finished.path("error")));
    }

    private Verdict deepAnswer(Client c) throws IOException {
        int nesting = 50; // levels of JSON per schema: under the request limit (64); the chain inlined is deepLevels × that
        List<String> refused = new ArrayList<>();
        boolean refusedAll422 = true;
        String last = null;
        int written = 0;
        for (int level = 0; level < deepLevels; level++) {
            String inner = level == 0 ? "{\"type\":\"string\"}" : "{\"$ref\":\"aug:/" + id("nest/" + (level - 1)) + "\"}";
            String schema = "{\"type\":\"array\",\"items\":".repeat(nesting) + inner + "}".repeat(nesting);
            String id = id("nest/" + level);
            HttpConnection.Response r = c.post("/v1/refinements", "{\"branch\":\"main\",\"message\":\"rel-hostile\",\"vibes\":[{\"id\":\""
                    + id + "\",\"kind\":\"RECORD\",\"schema\":" + schema + ",\"solution\":[]}]}");
            if (r.status() != 201) {
                refused.add("level " + level + " → " + describe(r));
                refusedAll422 &= r.status() == 422;
                break;
            }
            last = id;
            written++;
        }
        if (last == null) return new Verdict(false, "no level was written: " + refused);
        Head view = head(c.server, "/v1/schemas/" + last + "?mode=inlined", timeout);
        boolean ok = view.status() == 422 || (!refused.isEmpty() && refusedAll422 && view.status() >= 200 && view.status() < 500);
        return verdict(ok, written + " schemas of " + nesting + " nested levels, each referencing the one before; GET /v1/schemas/"
                + last + "?mode=inlined (JSON depth ≈ " + written * nesting + ") → " + view
                + (refused.isEmpty() ? "" : "; refused at write: " + refused));
    }

    private Verdict bomb(Client c, RefineryProcess server) throws IOException {
        String description = "x".repeat(bombDescriptionBytes);
        List<String> problems = new ArrayList<>();
        int top = -1;
        boolean refusedAtWrite = false;
        for (int level = 0; level <= bombLevels; level++) {
            String schema = level == 0 ? "{\"type\":\"string\",\"description\":\"" + description + "\"}"
                    : "{\"type\":\"object\",\"description\":\"" + description + "\",\"properties\":{\"a\":{\"$ref\":\"aug:/"
                    + id("bomb/" + (level - 1)) + "\"},\"b\":{\"$ref\":\"aug:/" + id("bomb/" + (level - 1)) + "\"}}}";
            String solution = level == 0 ? "\"x\"" : "{}";
            long t0 = System.nanoTime();
            HttpConnection.Response r = c.post("/v1/refinements", "{\"branch\":\"main\",\"message\":\"rel-hostile bomb\",\"vibes\":[{\"id\":\""
                    + id("bomb/" + level) + "\",\"kind\":\"RECORD\",\"schema\":" + schema + ",\"solution\":" + solution + "}]}");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r.status() == 201) {
                top = level;
            } else {
                if (r.status() == 422) refusedAtWrite = true;
                else problems.add("level " + level + " → " + describe(r) + " in " + ms + " ms");
                break;
            }
        }
        if (top < 0) return new Verdict(false, "no level was written: " + problems);
        String target = "/v1/schemas/" + id("bomb/" + top) + "?mode=inlined";
        Head view = head(server, target, timeout);
        long copies = (1L << (top + 1)) - 1;
        boolean ok = problems.isEmpty() && (view.status() == 422 || (refusedAtWrite && view.status() >= 200 && view.status() < 500));
        return verdict(ok, "levels 0.." + top + " written" + (refusedAtWrite ? " (the next refused at write, 422)" : "")
                + (problems.isEmpty() ? "" : ", " + problems) + "; GET " + target + " (" + copies + " copies, ≈ "
                + copies * bombDescriptionBytes / 1_048_576 + " MiB) → " + view);
    }

    // ---- auth token ----

    private void tokens(RefineryProcess server, BenchDatabase db, Named named) throws Exception {
        String admin = BadInput.issue(db, EnumSet.of(Scope.READ, Scope.WRITE, Scope.ADMIN));
        String writer = BadInput.issue(db, EnumSet.of(Scope.READ, Scope.WRITE));
        Client asAdmin = new Client(server, Map.of("Authorization", "Bearer " + admin));
        String other = "hostile-" + run + "-other";
        HttpConnection.Response fork = asAdmin.post("/v1/branches", "{\"name\":\"" + other + "\",\"from\":\"main\"}");

        // expiry
        named.check(() -> {
            String expiring;
            String how;
            Cli cli = cli(db, "token", "create", "--role", ROOT_ROLE, "--scopes", "read,write", "--label", "hostile-expiring",
                    "--expires-in", "PT1S");
            if (cli.token() != null) {
                expiring = cli.token();
                how = "refinery token create --expires-in PT1S";
                PostgresServer.sleep(2_000);
            } else if (db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                    + "AND table_name = 'api_tokens' AND column_name = 'expires_at'") > 0) {
                expiring = "rfy_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
                db.execute("INSERT INTO api_tokens (hash, role_ref, scopes, label, created_at, expires_at) VALUES ('"
                        + TokenHash.of(expiring).hex() + "', '" + ROOT_ROLE + "', '{read,write}', 'hostile-expired', "
                        + "now() - interval '2 hours', now() - interval '1 hour')");
                how = "a row of api_tokens expired an hour ago (the CLI could not: " + cli.failure() + ")";
            } else {
                return new Verdict(false, "token expiry not available: refinery token create --expires-in: " + cli.failure()
                        + "; api_tokens has no expires_at");
            }
            HttpConnection.Response r = new Client(server, Map.of("Authorization", "Bearer " + expiring)).get("/v1/vibes?branch=main&limit=1");
            return verdict(r.status() == 401, how + "; then GET /v1/vibes → " + describe(r));
        });

        // revocation
        named.check(() -> {
            String doomed = BadInput.issue(db, EnumSet.of(Scope.READ, Scope.WRITE));
            Client asDoomed = new Client(server, Map.of("Authorization", "Bearer " + doomed));
            int before = asDoomed.status("/v1/vibes?branch=main&limit=1");
            String tokenId = TokenHash.of(doomed).hex().substring(0, 16);
            HttpConnection.Response listed = asAdmin.get("/v1/tokens");
            HttpConnection.Response revoke = asAdmin.raw("DELETE", "/v1/tokens/" + tokenId, null, Map.of());
            int after = asDoomed.status("/v1/vibes?branch=main&limit=1");
            boolean ok = before == 200 && (revoke.status() == 204 || revoke.status() == 200) && after == 401;
            return verdict(ok, "GET with it before → " + before + "; GET /v1/tokens → " + listed.status()
                    + (listed.status() == 200 && !listed.text().contains(tokenId) ? " (without id " + tokenId + ")" : "")
                    + "; DELETE /v1/tokens/" + tokenId + " → " + describe(revoke) + "; GET with it after → " + after);
        });

        // branch patterns
        named.check(() -> {
            Cli cli = cli(db, "token", "create", "--role", ROOT_ROLE, "--scopes", "read,write", "--label", "hostile-feature",
                    "--branches", "feature/*");
            if (cli.token() == null) return new Verdict(false, "branch patterns not available: refinery token create --branches: "
                    + cli.failure());
            Client limited = new Client(server, Map.of("Authorization", "Bearer " + cli.token()));
            String feature = "feature/hostile-" + run;
            HttpConnection.Response forked = limited.post("/v1/branches", "{\"name\":\"" + feature + "\",\"from\":\"main\"}");
            HttpConnection.Response onFeature = limited.post("/v1/refinements", refineOn(feature, id("tokens/feature"), "1"));
            HttpConnection.Response onMain = limited.post("/v1/refinements", refineOn("main", id("tokens/limited-main"), "1"));
            HttpConnection.Response onOther = limited.post("/v1/refinements", refineOn(other, id("tokens/limited-other"), "1"));
            boolean ok = onMain.status() == 403 && onOther.status() == 403 && forked.status() == 201 && onFeature.status() == 201;
            return verdict(ok, "to main → " + describe(onMain) + "; to " + other + " → " + describe(onOther)
                    + " (fork of it by admin: " + fork.status() + "); forking " + feature + " → " + forked.status()
                    + ", refining on it → " + onFeature.status());
        });

        // protected main
        named.check(() -> {
            Client asWriter = new Client(server, Map.of("Authorization", "Bearer " + writer));
            HttpConnection.Response onMain = asWriter.post("/v1/refinements", refineOn("main", id("tokens/writer-main"), "1"));
            int written = asAdmin.status("/v1/vibes/" + id("tokens/writer-main") + "?branch=main");
            HttpConnection.Response onOther = asWriter.post("/v1/refinements", refineOn(other, id("tokens/writer-other"), "1"));
            HttpConnection.Response adminOnMain = asAdmin.post("/v1/refinements", refineOn("main", id("tokens/admin-main"), "1"));
            boolean ok = onMain.status() == 403 && written == 404 && onOther.status() == 201 && adminOnMain.status() == 201;
            return verdict(ok, "write token to main → " + describe(onMain) + (written != 404 ? " (written)" : "")
                    + "; to " + other + " → " + onOther.status() + "; admin token to main → " + adminOnMain.status());
        });
    }

    /** What {@code refinery ARGS} printed: the token it issued (a line starting rfy_), or why not. */
    record Cli(String token, String failure) {}

    private static Cli cli(BenchDatabase db, String... args) throws Exception {
        List<String> command = RefineryProcess.javaCommand(List.of());
        command.add("dev.refinery.bootstrap.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("REFINERY_"));
        env.put("REFINERY_DB_URL", db.url());
        env.put("REFINERY_DB_USER", db.appRole());
        env.put("REFINERY_DB_PASSWORD", db.appPassword());
        Process p = builder.start();
        p.getOutputStream().close();
        // small outputs: read both after the end (bounded by the wait)
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Cli(null, "no end within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String token = out.lines().map(String::strip).filter(l -> l.startsWith("rfy_")).findFirst().orElse(null);
        if (p.exitValue() == 0 && token != null) return new Cli(token, "");
        String why = err.lines().filter(l -> !l.isBlank()).findFirst().orElse(out.lines().findFirst().orElse(""));
        return new Cli(null, "exit " + p.exitValue() + ": " + Load.abbreviate(why));
    }

    // ---- a server of its own: backtracking patterns ----

    private void regex(RefineryProcess server, Named named) {
        named.check(() -> {
            String subject = "a".repeat(40) + "!";
            String pattern = "^(.*a){25}$";
            List<String> bodies = List.of(
                    regexRefine(0, "{\"type\":\"string\",\"pattern\":\"" + pattern + "\"}", "\"" + subject + "\""),
                    regexRefine(1, "{\"type\":\"string\",\"pattern\":\"" + pattern + "\"}", "\"" + subject + "\""),
                    regexRefine(2, "{\"type\":\"object\",\"patternProperties\":{\"" + pattern + "\":{\"type\":\"string\"}}}",
                            "{\"" + subject + "\":1}"));
            String[] answers = new String[bodies.size()];
            boolean[] ok = new boolean[bodies.size()];
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                int n = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    long t0 = System.nanoTime();
                    try (HttpConnection h = server.connect(regexMillis)) {
                        HttpConnection.Response r = h.post("/v1/refinements", bodies.get(n));
                        ok[n] = r.status() >= 200 && r.status() < 500;
                        answers[n] = r.status() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms";
                    } catch (IOException e) {
                        answers[n] = e.getMessage();
                    }
                }));
            }
            PostgresServer.sleep(300);
            String health;
            boolean healthy;
            long t0 = System.nanoTime();
            try (HttpConnection h = server.connect(regexMillis)) {
                int status = h.get("/observe/health").status();
                healthy = status == 200;
                health = status + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms";
            } catch (IOException e) {
                healthy = false;
                health = e.getMessage();
            }
            for (Thread t : threads) t.join(regexMillis + 5_000L);
            boolean all = healthy;
            for (boolean b : ok) all &= b;
            return verdict(all, "pattern: " + answers[0] + ", " + answers[1] + "; patternProperties: " + answers[2]
                    + "; /observe/health meanwhile: " + health);
        });
    }

    private String regexRefine(int n, String schema, String solution) {
        return "{\"branch\":\"main\",\"dryRun\":true,\"message\":\"rel-hostile regex\",\"vibes\":[{\"id\":\"" + id("regex/" + n)
                + "\",\"kind\":\"RECORD\",\"schema\":" + schema + ",\"solution\":" + solution + "}]}";
    }

    // ---- a server of its own: amplification ----

    private void amplification(RefineryProcess server, Named named) throws Exception {
        Client c = new Client(server, Map.of());
        named.check(() -> {
            String process = id("processes/amplify");
            String template = id("caps/template");
            Workload.expect(c.post("/v1/refinements", Processes.refine("rel-hostile: amplifying process",
                    Processes.capability(template, "{\"executor\":\"builtin\",\"function\":\"template\"}"),
                    Processes.process(process, """
                            {"steps": [
                              {"name": "once", "capability": "aug:/%1$s",
                               "input": {"template": "%2$s", "from": {"x": {"$from": "/input/x"}}}},
                              {"name": "twice", "capability": "aug:/%1$s",
                               "input": {"template": "%3$s", "from": {"t": {"$from": "/steps/once/output/text"}}}}],
                             "result": {"$from": "/steps/twice/output"}}""".formatted(template, "{{/x}}".repeat(amplifyFactor),
                            "{{/t}}".repeat(amplifyFactor)),
                            "{\"type\":\"object\",\"required\":[\"x\"]}", "{\"x\":\"a\"}"))), 201, "the amplifying process");
            HttpConnection.Response started = c.post("/v1/processes", startBody(process, "{\"x\":\"" + "a".repeat(amplifyBytes) + "\"}", null));
            if (started.status() != 202) return new Verdict(false, "the run did not start: " + describe(started));
            String runId = Workload.parse(started.body()).path("id").asText();
            long t0 = System.nanoTime();
            JsonNode finished = awaitRun(c, runId);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String status = finished.path("status").asText();
            String error = finished.path("error").isMissingNode() ? "" : finished.path("error").toString();
            boolean ok = status.equals("FAILED") && SIZE_REASON.matcher(error).find();
            return verdict(ok, "input " + amplifyBytes + " B, steps would make " + (long) amplifyBytes * amplifyFactor + " B then "
                    + (long) amplifyBytes * amplifyFactor * amplifyFactor + " B; run " + runId + " " + status + " after " + ms + " ms"
                    + (error.isEmpty() || error.equals("null") ? "" : ", error " + Load.abbreviate(error)));
        });
        named.check(() -> {
            long t0 = System.nanoTime();
            int status = c.status("/observe/health");
            return verdict(status == 200, status + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        });
    }

    // ---- set-up and helpers ----

    private void setUpProcesses(Client c) throws IOException {
        Workload.expect(c.post("/v1/refinements", Processes.refine("rel-hostile: capabilities and processes",
                Processes.capability(id("caps/echo"), "{\"executor\":\"builtin\",\"function\":\"echo\"}"),
                Processes.capability(id("caps/sleep"), "{\"executor\":\"builtin\",\"function\":\"sleep\"}"),
                Processes.process("hostile/processes/echo", """
                        {"steps": [{"name": "only", "capability": "aug:/%s", "input": {"n": {"$from": "/input/n"}}}],
                         "result": {"$from": "/steps/only/output"}}""".formatted(id("caps/echo")),
                        "{\"type\":\"object\",\"required\":[\"n\"]}", "{\"n\":0}"),
                Processes.process("hostile/processes/nap", """
                        {"steps": [{"name": "nap", "capability": "aug:/%s", "input": {"ms": {"$from": "/input/ms"}}},
                                   {"name": "last", "capability": "aug:/%s", "input": {"n": {"$from": "/input/n"}}}],
                         "result": {"$from": "/steps/last/output"}}""".formatted(id("caps/sleep"), id("caps/echo")),
                        "{\"type\":\"object\",\"required\":[\"n\",\"ms\"]}", "{\"n\":0,\"ms\":0}"))), 201,
                "the capabilities and processes");
    }

    private JsonNode awaitRun(Client c, String runId) throws IOException {
        long deadline = System.nanoTime() + runAwait.toNanos();
        JsonNode r = c.json("/v1/processes/" + runId);
        while (r.path("status").asText().equals("RUNNING") && System.nanoTime() < deadline) {
            PostgresServer.sleep(100);
            r = c.json("/v1/processes/" + runId);
        }
        return r;
    }

    /** How many runs there are (this run's database holds no others). */
    private static long runs(Client c) throws IOException {
        HttpConnection.Response r = c.get("/v1/processes?limit=1000");
        return r.status() == 200 ? Workload.parse(r.body()).path("items").size() : -1;
    }

    /** A vibe id of this run's own, under {@code hostile/}. */
    private String id(String tail) {
        return "hostile/" + run + "/" + tail;
    }

    private String key() {
        return "hostile-" + UUID.randomUUID();
    }

    private static String refine(String id, String solution) {
        return refineOn("main", id, solution);
    }

    private static String refineOn(String branch, String id, String solution) {
        return "{\"branch\":\"" + branch + "\",\"message\":\"rel-hostile\",\"vibes\":[{\"id\":\"" + id
                + "\",\"kind\":\"RECORD\",\"schema\":{},\"solution\":" + solution + "}]}";
    }

    private static String refineBody(String id, String solution, String key) {
        ObjectNode body = Workload.JSON.createObjectNode().put("branch", "main").put("message", "rel-hostile");
        if (key != null) body.put("idempotencyKey", key);
        ArrayNode vibes = body.putArray("vibes");
        vibes.addObject().put("id", id).put("kind", "RECORD").set("schema", Workload.JSON.createObjectNode());
        ((ObjectNode) vibes.get(0)).set("solution", Workload.parse(solution.getBytes(StandardCharsets.UTF_8)));
        return body.toString();
    }

    private static String startBody(String process, String input, String key) {
        return "{\"process\":\"aug:/" + process + "\",\"branch\":\"main\",\"input\":" + input
                + (key == null ? "" : ",\"idempotencyKey\":\"" + key + "\"") + "}";
    }

    private static Verdict verdict(boolean ok, String detail) {
        return new Verdict(ok, detail);
    }

    private static String describe(HttpConnection.Response r) {
        String text = r.text().replaceAll("\\s+", " ");
        return r.status() + (text.isEmpty() ? "" : " " + (text.length() <= 160 ? text : text.substring(0, 160) + "…"));
    }

    /** Requests on a fresh connection each (a refused request may leave a connection unusable), with headers of a caller. */
    private final class Client {
        private final RefineryProcess server;
        private final Map<String, String> auth;

        Client(RefineryProcess server, Map<String, String> auth) {
            this.server = server;
            this.auth = auth;
        }

        HttpConnection.Response raw(String method, String target, String body, Map<String, String> headers) throws IOException {
            Map<String, String> all = new LinkedHashMap<>(auth);
            all.putAll(headers);
            try (HttpConnection h = server.connect(timeout)) {
                return h.send(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8), all);
            }
        }

        HttpConnection.Response post(String target, String json) throws IOException {
            return raw("POST", target, json, Map.of("Content-Type", "application/json"));
        }

        HttpConnection.Response get(String target) throws IOException {
            return raw("GET", target, null, Map.of());
        }

        int status(String target) throws IOException {
            return get(target).status();
        }

        JsonNode json(String target) throws IOException {
            return Workload.parse(Workload.expect(get(target), 200, "GET " + target).body());
        }
    }

    /** The status line and headers of an answer, and its first bytes: for answers that may be huge. */
    record Head(int status, String contentType, String start, long millis, String error) {
        @Override
        public String toString() {
            if (error != null) return error + " after " + millis + " ms";
            return status + " " + contentType + " in " + millis + " ms" + (start.isEmpty() ? "" : " " + start);
        }
    }

    /** Sends a GET, reads the status line, the headers and at most 2 KiB of the body, then closes the connection. */
    static Head head(RefineryProcess server, String target, int timeoutMillis) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(server.host(), server.port()), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + server.host() + ":" + server.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(s.getInputStream());
            String status = line(in);
            if (status == null || status.length() < 12) {
                return new Head(-1, "", "", (System.nanoTime() - t0) / 1_000_000, "closed without an answer");
            }
            String contentType = "";
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-type:")) contentType = h.substring(13).strip();
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            byte[] start = new byte[2048];
            int n = 0;
            if (status.charAt(9) != '2') {
                try {
                    for (int r; n < start.length && (r = in.read(start, n, start.length - n)) > 0; ) n += r;
                } catch (SocketTimeoutException e) {
                    // what came is enough
                }
            }
            return new Head(Integer.parseInt(status.substring(9, 12)), contentType,
                    Load.abbreviate(new String(start, 0, n, StandardCharsets.UTF_8).replaceAll("\\s+", " ")), millis, null);
        } catch (SocketTimeoutException e) {
            return new Head(-1, "", "", (System.nanoTime() - t0) / 1_000_000, "no answer within " + timeoutMillis + " ms (hang)");
        } catch (IOException e) {
            return new Head(-1, "", "", (System.nanoTime() - t0) / 1_000_000, e.toString());
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') b.write(c);
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
