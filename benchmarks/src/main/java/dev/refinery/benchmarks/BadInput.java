package dev.refinery.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.adapters.postgres.PostgresTokenStore;
import dev.refinery.adapters.postgres.PostgresVibeLedger;
import dev.refinery.application.auth.IssueTokenUseCase.IssueOutcome;
import dev.refinery.application.auth.IssueTokenUseCase.IssueToken;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.TokenService;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reliability: a generated corpus of malformed and hostile requests against a server with token auth.
 * Passes when no answer is a 5xx, none hangs (the client's timeout), every refused request answers a
 * problem document, the server calls nothing it was pointed at, and the ledger holds exactly what it
 * held before plus the writes the server acknowledged (nothing else added, nothing changed).
 */
final class BadInput implements Benchmark {
    static final String KNOWN_ID = "bench/schemas/address";

    /** What happened to one case. */
    private record Outcome(BadInputCorpus.Case c, int status, boolean problem, long nanos, String error, JsonNode body) {}

    @Override
    public int run(Options options, Report report) throws Exception {
        int size = options.integer("requests", 10_000);
        long seed = options.number("seed", 20261122);
        int clients = options.integer("clients", 8);
        int timeout = options.integer("timeout-ms", 15_000);
        report.header("rel-bad-input", "a corpus of malformed and hostile requests: no 5xx, no hang, the ledger unchanged");
        Report.Checks checks = report.checks();
        try (PostgresServer pg = options.postgres(100);
             BenchDatabase db = BenchDatabase.create(pg);
             CallCounter callbacks = new CallCounter()) {
            // admin: the corpus writes on main, which only admin tokens write (refinery.auth.protected-branches)
            String token = issue(db, EnumSet.of(Scope.READ, Scope.WRITE, Scope.ADMIN));
            String readOnly = issue(db, EnumSet.of(Scope.READ));
            try (RefineryProcess server = RefineryProcess.start(RefineryProcess.Config.of(db).withAuth("token"))) {
                report.configuration(options, Map.of("postgres", pg.description(), "auth", "token",
                        "max-body-bytes", "1048576 (default)", "max-json-depth", "64 (default)"));
                seed(server, token, timeout);
                Ledger before = Ledger.snapshot(db);

                List<BadInputCorpus.Case> corpus = new BadInputCorpus(seed, token, readOnly, KNOWN_ID, callbacks.port(),
                        1_048_576, 64).generate(size);
                long started = System.nanoTime();
                List<Outcome> outcomes = execute(server, corpus, clients, timeout);
                double seconds = (System.nanoTime() - started) / 1e9;
                report.line("sent %d requests in %.1f s with %d clients (seed %d)", outcomes.size(), seconds, clients, seed);

                summarize(report, outcomes);
                Ledger after = Ledger.snapshot(db);
                judge(checks, outcomes, before, after, callbacks, timeout);
                String log = server.logText();
                long incidents = log.lines().filter(l -> l.contains("incident")).count();
                checks.check("the server logged no incident (unexpected exception)", incidents == 0,
                        incidents + " incident line(s) in " + server.log());
                try (HttpConnection c = server.connect(timeout)) {
                    checks.check("the server is healthy afterwards", c.get("/observe/health").status() == 200, "");
                }
            }
        }
        return checks.finish();
    }

    static String issue(BenchDatabase db, Set<Scope> scopes) {
        try (DbClient client = db.owner().withUser(db.appRole(), java.util.Optional.of(db.appPassword())).createDbClient()) {
            TokenService tokens = new TokenService(new PostgresTokenStore(client), new PostgresVibeLedger(client), Clock.systemUTC());
            IssueOutcome outcome = tokens.issue(new IssueToken(VibeRef.parse("main@roles/root?1"), scopes, "benchmarks"));
            if (outcome instanceof IssueOutcome.Issued issued) return issued.token();
            throw new IllegalStateException("could not issue a token: " + outcome);
        }
    }

    /** Something for the reads and refs of the corpus to find: a schema, a record using it, a branch. */
    private static void seed(RefineryProcess server, String token, int timeout) throws IOException {
        Map<String, String> h = Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
        try (HttpConnection c = server.connect(timeout)) {
            Workload.expect(c.send("POST", "/v1/refinements", Workload.addressSchemaRefine().getBytes(), h), 201, "seed schema");
            Workload.expect(c.send("POST", "/v1/refinements", Workload.refineWithReference("main", "bench/people/ada", "London")
                    .getBytes(), h), 201, "seed record");
            Workload.expect(c.send("POST", "/v1/branches", "{\"name\":\"bench-dev\",\"from\":\"main\"}".getBytes(), h), 201,
                    "seed branch");
            Workload.expect(c.send("POST", "/v1/refinements", Workload.refineWithReference("bench-dev", "bench/people/bob", "Paris")
                    .getBytes(), h), 201, "seed record on the branch");
        }
    }

    private static List<Outcome> execute(RefineryProcess server, List<BadInputCorpus.Case> corpus, int clients, int timeout) {
        Outcome[] outcomes = new Outcome[corpus.size()];
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                HttpConnection keepAlive = server.connect(timeout);
                try {
                    for (int i = next.getAndIncrement(); i < corpus.size(); i = next.getAndIncrement()) {
                        outcomes[i] = send(server, keepAlive, corpus.get(i), timeout);
                        // after an error the connection may hold half a request: start clean
                        if (outcomes[i].error() != null || outcomes[i].status() >= 400) keepAlive.close();
                    }
                } finally {
                    keepAlive.close();
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return List.of(outcomes);
    }

    private static Outcome send(RefineryProcess server, HttpConnection keepAlive, BadInputCorpus.Case c, int timeout) {
        long t0 = System.nanoTime();
        try {
            HttpConnection.Response r;
            if (c.raw() != null) {
                try (HttpConnection fresh = server.connect(timeout)) {
                    r = fresh.raw(c.raw());
                }
            } else {
                r = keepAlive.send(c.method(), c.target(), c.body(), c.headers());
            }
            JsonNode body = null;
            if (r.status() == 201 || r.status() == 200) {
                try {
                    body = Workload.parse(r.body());
                } catch (RuntimeException notJson) {
                    body = null;
                }
            }
            return new Outcome(c, r.status(), r.isProblem(), System.nanoTime() - t0, null, body);
        } catch (HttpConnection.TimeoutException e) {
            return new Outcome(c, -1, false, System.nanoTime() - t0, "timeout", null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(c, 0, false, System.nanoTime() - t0, e.toString(), null);
        }
    }

    private static void summarize(Report report, List<Outcome> outcomes) {
        Map<String, List<Outcome>> byCategory = new TreeMap<>();
        for (Outcome o : outcomes) byCategory.computeIfAbsent(o.c().category(), k -> new ArrayList<>()).add(o);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("category", "requests", "answers by status", "max ms"));
        byCategory.forEach((category, list) -> {
            Map<String, Integer> statuses = new TreeMap<>();
            long max = 0;
            for (Outcome o : list) {
                statuses.merge(o.error() == null ? Integer.toString(o.status()) : o.status() == -1 ? "hang" : "no-answer", 1, Integer::sum);
                max = Math.max(max, o.nanos());
            }
            StringBuilder s = new StringBuilder();
            statuses.forEach((k, v) -> s.append(k).append('×').append(v).append(' '));
            rows.add(List.of(category, Integer.toString(list.size()), s.toString().strip(), Report.ms(max / 1e6)));
        });
        report.table(rows);
    }

    private static void judge(Report.Checks checks, List<Outcome> outcomes, Ledger before, Ledger after, CallCounter callbacks,
                              int timeout) {
        List<Outcome> fiveHundreds = outcomes.stream().filter(o -> o.status() >= 500).toList();
        checks.check("no 5xx answer", fiveHundreds.isEmpty(), fiveHundreds.size() + " 5xx" + examples(fiveHundreds));
        List<Outcome> hangs = outcomes.stream().filter(o -> o.status() == -1).toList();
        checks.check("no hang (every answer within " + timeout + " ms)", hangs.isEmpty(), hangs.size() + " hung" + examples(hangs));
        List<Outcome> dropped = outcomes.stream().filter(o -> o.status() == 0 && o.c().raw() == null).toList();
        checks.check("every well-formed HTTP request is answered", dropped.isEmpty(),
                dropped.size() + " closed without an answer" + examples(dropped));
        long rawDropped = outcomes.stream().filter(o -> o.status() == 0 && o.c().raw() != null).count();
        List<Outcome> notProblems = outcomes.stream().filter(o -> o.status() >= 400 && !o.problem()).toList();
        checks.check("every refusal is a problem document (application/problem+json)", notProblems.isEmpty(),
                notProblems.size() + " were not" + examples(notProblems)
                        + (rawDropped > 0 ? "; " + rawDropped + " malformed-HTTP request(s) were answered by closing the connection" : ""));
        checks.check("the server fetched nothing a schema pointed at", callbacks.count() == 0,
                callbacks.count() + " connection(s) to the loopback listener the corpus named");

        // the writes the server acknowledged: refinements (refine, merge) and branches
        Set<Long> acknowledged = new TreeSet<>();
        Set<String> branches = new TreeSet<>();
        long acknowledgedOutputs = 0;
        for (Outcome o : outcomes) {
            if (o.body() == null || o.status() != 201) continue;
            String target = o.c().target();
            if (target.startsWith("/v1/refinements") || target.startsWith("/v1/merges")) {
                JsonNode refinement = o.body().path("refinement");
                if (refinement.hasNonNull("id")) {
                    acknowledged.add(refinement.get("id").asLong());
                    // a merge's outputs include the fast-forwarded revisions, which are not new vibes
                    acknowledgedOutputs += target.startsWith("/v1/merges") ? o.body().path("written").size()
                            : refinement.path("outputRefs").size();
                }
            } else if (target.startsWith("/v1/branches")) {
                branches.add(o.body().path("name").asText());
            }
        }
        Set<Long> added = new TreeSet<>(after.refinements());
        added.removeAll(before.refinements());
        checks.check("every refinement added was acknowledged, and every acknowledged one is there",
                added.equals(acknowledged), "added " + added.size() + ", acknowledged " + acknowledged.size()
                        + (added.equals(acknowledged) ? "" : ": unaccounted " + difference(added, acknowledged)
                        + ", missing " + difference(acknowledged, added)));
        checks.check("the vibes added are the acknowledged outputs", after.vibes() - before.vibes() == acknowledgedOutputs,
                (after.vibes() - before.vibes()) + " added, " + acknowledgedOutputs + " acknowledged");
        Set<String> newBranches = new TreeSet<>(after.branches());
        newBranches.removeAll(before.branches());
        checks.check("the branches added are the acknowledged ones", newBranches.equals(branches),
                newBranches.size() + " added, " + branches.size() + " acknowledged");
        checks.check("what was there before is unchanged (rows of every ledger table, tokens)",
                before.fingerprint().equals(after.fingerprintOf(before)), before.fingerprint() + " vs " + after.fingerprintOf(before));
    }

    private static <T> String difference(Set<T> a, Set<T> b) {
        Set<T> d = new TreeSet<>(a);
        d.removeAll(b);
        return d.size() > 10 ? d.stream().limit(10).toList() + "…" : d.toString();
    }

    private static String examples(List<Outcome> list) {
        if (list.isEmpty()) return "";
        StringBuilder s = new StringBuilder(", e.g.:");
        list.stream().limit(3).forEach(o -> s.append("\n        [").append(o.c().category()).append("] ")
                .append(o.c().describe()).append(o.error() != null ? " → " + o.error() : " → " + o.status()));
        return s.toString();
    }

    /** What the ledger holds, enough to tell what was added and whether anything older changed. */
    record Ledger(Set<Long> refinements, long vibes, Set<String> branches, String fingerprint, BenchDatabase db) {
        static Ledger snapshot(BenchDatabase db) {
            Set<Long> refinements = new TreeSet<>();
            Set<String> branches = new TreeSet<>();
            try (var c = db.admin(); var s = c.createStatement()) {
                try (var rs = s.executeQuery("SELECT id FROM refinements")) {
                    while (rs.next()) refinements.add(rs.getLong(1));
                }
                try (var rs = s.executeQuery("SELECT name FROM branches")) {
                    while (rs.next()) branches.add(rs.getString(1));
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            long vibes = db.count("SELECT count(*) FROM vibes");
            Ledger l = new Ledger(refinements, vibes, branches, "", db);
            return new Ledger(refinements, vibes, branches, l.fingerprintOf(l), db);
        }

        /** An md5 over the rows that existed in {@code then}, as they are now (vibes.branches may grow by merges). */
        String fingerprintOf(Ledger then) {
            long maxRefinement = then.refinements().stream().mapToLong(Long::longValue).max().orElse(0);
            String names = String.join(",", then.branches().stream().map(b -> "'" + b.replace("'", "''") + "'").toList());
            return db.text("SELECT md5(concat_ws('|',"
                    + " (SELECT string_agg(r::text, ';' ORDER BY r.id) FROM refinements r WHERE r.id <= " + maxRefinement + "),"
                    + " (SELECT string_agg((to_jsonb(v) - 'branches')::text, ';' ORDER BY v.ref) FROM vibes v WHERE v.refinement_id <= " + maxRefinement + "),"
                    + " (SELECT string_agg(b::text, ';' ORDER BY b.name) FROM branches b WHERE b.name IN (" + names + ")),"
                    + " (SELECT string_agg(e::text, ';' ORDER BY e.from_ref, e.type, e.to_ref) FROM vibe_refs e"
                    + "    JOIN vibes v ON v.ref = e.from_ref WHERE v.refinement_id <= " + maxRefinement + "),"
                    + " (SELECT string_agg(t::text, ';' ORDER BY t.hash) FROM api_tokens t),"
                    + " (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = current_schema())))");
        }
    }

    /** A loopback listener the corpus names as a schema location: it counts who connects. */
    static final class CallCounter implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicLong count = new AtomicLong();

        CallCounter() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        count.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        long count() {
            return count.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
