package dev.refinery.benchmarks;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Item 4: "what depends on this schema?" at 1M vibes, with one schema used by 100k of them (and one used
 * by 9, for contrast): the {@code vibe_refs} queries Refinery runs, and its HTTP answers, against the
 * same question answered by scanning the stored schemas' JSONB. Each question is asked whole (every
 * dependent) and as its first page, and over HTTP also by walking every page; the scan answers the same
 * page in the same order (by ref) and may stop as early as its plan lets it.
 */
final class ImpactScan implements Benchmark {
    static final String SHARED = "bench/schemas/shared";
    static final String RARE = "bench/schemas/rare";
    /** The API's default page and its largest, as a client reading everything would ask. */
    static final int PAGE = 100;
    static final int BIG_PAGE = 1000;

    @Override
    public int run(Options options, Report report) throws Exception {
        long size = options.number("vibes", 1_000_000);
        long users = options.number("users", 100_000);
        int repeat = options.integer("repeat", 5);
        int timeout = options.integer("timeout-ms", 120_000);
        int scans = Math.min(repeat, 3);
        int pageSamples = 20 * repeat;
        int warmUp = options.integer("warm-up", 300);  // requests of each first page sent before any is timed
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
            report.line("loaded %d vibes in %.1f s (then VACUUM ANALYZE); %d reference %s, %d reference %s", size,
                    (System.nanoTime() - t0) / 1e9, edgesTo(db, SHARED), SHARED, edgesTo(db, RARE), RARE);

            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("question", "rows", "vibe_refs ms", "JSONB scan ms", "ratio"));
            List<String> plans = new ArrayList<>();
            List<String> dryRuns = new ArrayList<>();
            for (String id : List.of(SHARED, RARE)) {
                String ref = "main@" + id + "?1";
                long all = edgesTo(db, id);
                int firstPage = (int) Math.min(PAGE, all);

                // -- dependents in SQL: Refinery's first-level statement (PostgresLedgerTransaction.walk) vs the scan
                String edges = "SELECT DISTINCT ON (e.from_ref) e.from_ref, e.to_ref, e.type, e.pinned, 1 AS depth "
                        + "FROM vibe_refs e WHERE e.to_ref = '" + ref + "' AND e.from_ref > '' ORDER BY e.from_ref, e.type DESC";
                Scan dependents = new Scan(
                        "jsonb_path_exists(v.schema, 'strict $.** ? (@.\"$refResolved\" == $r)', jsonb_build_object('r', '"
                                + ref + "'))",
                        "v.schema::text LIKE '%\"" + ref + "\"%'");
                Latencies whole = BulkLoad.time(db, edges, repeat);
                Latencies page = BulkLoad.time(db, edges + " LIMIT " + (PAGE + 1), pageSamples);
                Timed scanWhole = dependents.whole(db, scans);
                Timed scanPage = dependents.page(db, scans);
                long found = db.count("SELECT count(*) FROM (" + edges + ") x");
                long scanned = db.count("SELECT count(*) FROM vibes v WHERE " + dependents.jsonPath);
                if (found != scanned) report.line("  (!) the scan found %d rows, vibe_refs %d", scanned, found);
                rows.add(row("dependents of " + id + " (SQL, whole answer)", found, whole.p50(), scanWhole));
                // the least any index can do for the whole answer: the dependents' refs alone, one column of an
                // index-only range, nothing joined, deduplicated or sorted — what bounds the ratio when the answer is big
                Latencies floor = BulkLoad.time(db, "SELECT e.from_ref FROM vibe_refs e WHERE e.to_ref = '" + ref + "'", repeat);
                rows.add(row("  floor: its refs alone, index-only (SQL, whole)", all, floor.p50(), scanWhole));
                rows.add(row("dependents of " + id + " (SQL, first page)", firstPage, page.p50(), scanPage));
                plans.add("dependents of " + id + ", first page: " + dependents.pagePlans(db));

                // -- the same over HTTP: the first page, then every page of the largest size
                Latencies httpPage = new Latencies();
                Latencies httpAll = new Latencies();
                Latencies impactPage = new Latencies();
                Latencies impactAll = new Latencies();
                long dependentItems = 0;
                long impactItems = 0;
                try (HttpConnection c = server.connect(timeout)) {
                    String dependentsPath = "/v1/dependents/" + id + "?branch=main&revision=1";
                    String impactPath = "/v1/impact/" + id + "?branch=main";
                    // warm-up, not counted: a fresh server JVM answers its first hundreds of requests several times
                    // slower (class loading, then the JIT compilers), as a long-running one would not
                    for (int i = 0; i < warmUp; i++) {
                        Workload.expect(c.get(dependentsPath), 200, "dependents");
                        Workload.expect(c.get(impactPath), 200, "impact");
                    }
                    for (int i = 0; i < pageSamples; i++) {
                        httpPage.add(timed(() -> Workload.expect(c.get(dependentsPath), 200, "dependents")));
                        impactPage.add(timed(() -> Workload.expect(c.get(impactPath), 200, "impact")));
                    }
                    for (int i = 0; i < scans; i++) {
                        long t = System.nanoTime();
                        dependentItems = allPages(c, dependentsPath + "&limit=" + BIG_PAGE);
                        httpAll.add(System.nanoTime() - t);
                        t = System.nanoTime();
                        impactItems = allPages(c, impactPath + "&limit=" + BIG_PAGE);
                        impactAll.add(System.nanoTime() - t);
                    }
                }
                if (dependentItems != found) report.line("  (!) the pages held %d dependents, vibe_refs %d", dependentItems, found);
                rows.add(row("GET /v1/dependents/" + id + " first page", firstPage, httpPage.p50(), scanPage));
                rows.add(row("GET /v1/dependents/" + id + " all pages of " + BIG_PAGE, dependentItems, httpAll.p50(),
                        Timed.faster(scanWhole, dependents.allPages(db, scanPage))));

                // -- impact: heads on main whose stored schema references any revision of the id
                String prefix = "main@" + id + "?";
                Scan impact = new Scan(
                        "jsonb_path_exists(v.schema, 'strict $.** ? (@.\"$refResolved\" starts with $p)', "
                                + "jsonb_build_object('p', '" + prefix + "'))",
                        "v.schema::text LIKE '%\"" + prefix + "%'");
                // a vibe is a head on main when it is visible there and no higher revision of its id is
                String head = " AND EXISTS (SELECT 1 FROM vibe_visibility vv WHERE vv.ref = v.ref AND vv.branch = 'main')"
                        + " AND NOT EXISTS (SELECT 1 FROM vibe_visibility vv WHERE vv.branch = 'main' AND vv.id = v.id"
                        + " AND vv.revision > v.revision)";
                impact = impact.and(head);
                Timed impactWhole = Timed.faster(impact.whole(db, scans), Timed.of("heads joined, text LIKE", BulkLoad.time(db,
                        "SELECT v.ref FROM vibes v JOIN (SELECT DISTINCT ON (vv.id) vv.ref FROM vibe_visibility vv "
                                + "WHERE vv.branch = 'main' ORDER BY vv.id, vv.revision DESC) h ON h.ref = v.ref WHERE "
                                + impact.text, scans)));
                Timed impactScanPage = impact.page(db, scans);
                long heads = db.count("SELECT count(*) FROM vibes v WHERE " + impact.text + head);
                if (impactItems != heads) report.line("  (!) the impact pages held %d heads, the scan %d", impactItems, heads);
                rows.add(row("GET /v1/impact/" + id + " first page", Math.min(PAGE, heads), impactPage.p50(),
                        impactScanPage));
                rows.add(row("GET /v1/impact/" + id + " all pages of " + BIG_PAGE, impactItems, impactAll.p50(),
                        Timed.faster(impactWhole, impact.allPages(db, impactScanPage))));
                plans.add("impact of " + id + ", first page: " + impact.pagePlans(db));

                // -- a dry run of a stricter schema for the id: which dependents would break (a bounded number checked)
                String dryRun = Workload.addressSchemaRefine().replace(Workload.ADDRESS_SCHEMA_ID, id)
                        .replace("{\"branch\": \"main\",", "{\"branch\": \"main\", \"dryRun\": true,")
                        .replace("\"city\": {\"type\": \"string\"}", "\"city\": {\"type\": \"string\", \"maxLength\": 4}")
                        .replace("\"Example\"", "\"Ex\"");
                Latencies dry = new Latencies();
                String[] answer = new String[1];
                try (HttpConnection c = server.connect(timeout)) {
                    for (int i = 0; i < scans; i++) {
                        dry.add(timed(() -> answer[0] = Workload.expect(c.post("/v1/refinements", dryRun), 200, "dry run").text()));
                    }
                }
                dryRuns.add(String.format("POST /v1/refinements dryRun of a stricter %s: p50 %s ms of %d; %d dependents "
                                + "revalidated (%d would break), truncated: %s, of %d heads that depend on it", id,
                        Report.ms(dry.p50()), scans, count(answer[0], "\"stillValid\":"),
                        count(answer[0], "\"stillValid\":false"), answer[0].contains("\"truncated\":true"), heads));
            }
            report.line("p50 of %d runs (first pages: of %d, over HTTP after %d of each to warm the server up; scans and"
                    + " walks of all pages: of %d); a page is %d rows (HTTP: the default limit), and each query asks for one"
                    + " more to know whether another page follows", repeat, pageSamples, warmUp, scans, PAGE);
            report.line("the scan is the fastest of: a jsonpath and a text LIKE over vibes.schema, whole or a page at a time"
                    + " (keyset on ref, as Refinery pages); for impact also the heads of main joined whole");
            report.table(rows);
            report.line("what the scan's plan does for a first page (EXPLAIN ANALYZE; rows read = rows returned + removed by"
                    + " its filter):");
            plans.forEach(p -> report.line("  " + p));
            report.line("what breaks if the schema changes (a dry run revalidates at most refinery.refine.dry-run-impact-limit"
                    + " dependents, the nearest first):");
            dryRuns.forEach(d -> report.line("  " + d));
            report.line("floor: the least an index can cost for the whole answer (its rows' refs read from vibe_refs_dependents_idx"
                    + " and sent); its ratio bounds what any query of the same rows can reach");
            report.line("target: the vibe_refs answer ≥ 100× faster than the scan, for the question asked (dependents of a schema"
                    + " used by %d)", users);
        }
        return 0;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) n++;
        return n;
    }

    private static long edgesTo(BenchDatabase db, String id) {
        return db.count("SELECT count(*) FROM vibe_refs WHERE to_ref = ?", "main@" + id + "?1");
    }

    private static List<String> row(String question, long rows, double millis, Timed scan) {
        double ratio = scan.millis() / millis;
        return List.of(question, Long.toString(rows), Report.ms(millis), Report.ms(scan.millis()) + " (" + scan.how() + ")",
                ratio >= 10 ? String.format("%.0f×", ratio) : String.format("%.2f×", ratio));
    }

    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    private static long timed(Call call) throws IOException {
        long t = System.nanoTime();
        call.run();
        return System.nanoTime() - t;
    }

    private static final Pattern NEXT_CURSOR = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");
    private static final Pattern ITEM = Pattern.compile("\\{\"ref\":");

    /** Follows nextCursor from {@code path} to the last page; answers the number of items read. */
    private static long allPages(HttpConnection c, String path) throws IOException {
        long items = 0;
        String cursor = null;
        do {
            String body = Workload.expect(c.get(cursor == null ? path : path + "&cursor=" + Workload.query(cursor)), 200,
                    path).text();
            Matcher item = ITEM.matcher(body);
            while (item.find()) items++;
            Matcher next = NEXT_CURSOR.matcher(body);
            cursor = next.find() ? next.group(1) : null;
        } while (cursor != null);
        return items;
    }

    /** A time and how the scan that took it worked. */
    private record Timed(String how, double millis) {
        static Timed of(String how, Latencies l) {
            return new Timed(how, l.p50());
        }

        static Timed faster(Timed a, Timed b) {
            return a.millis <= b.millis ? a : b;
        }
    }

    /** One question answered by scanning vibes.schema, with either of two predicates over the stored JSONB. */
    private record Scan(String jsonPath, String text, String rest) {
        Scan(String jsonPath, String text) {
            this(jsonPath, text, "");
        }

        Scan and(String condition) {
            return new Scan(jsonPath, text, rest + condition);
        }

        private String query(String predicate) {
            return "SELECT v.ref FROM vibes v WHERE " + predicate + rest;
        }

        private String pageQuery(String predicate, String after, int limit) {
            return query(predicate) + " AND v.ref > '" + after + "' ORDER BY v.ref LIMIT " + limit;
        }

        Timed whole(BenchDatabase db, int n) {
            return Timed.faster(Timed.of("jsonpath", BulkLoad.time(db, query(jsonPath), n)),
                    Timed.of("text LIKE", BulkLoad.time(db, query(text), n)));
        }

        /** The first page, as Refinery reads it: PAGE rows and one more, in ref order. */
        Timed page(BenchDatabase db, int n) {
            return Timed.faster(Timed.of("jsonpath, by ref", BulkLoad.time(db, pageQuery(jsonPath, "", PAGE + 1), n)),
                    Timed.of("text LIKE, by ref", BulkLoad.time(db, pageQuery(text, "", PAGE + 1), n)));
        }

        /** Every page of BIG_PAGE, keyset on ref, with the predicate that answered the first page faster. */
        Timed allPages(BenchDatabase db, Timed firstPage) {
            String predicate = firstPage.how().startsWith("jsonpath") ? jsonPath : text;
            long t = System.nanoTime();
            try (Connection c = db.admin(); Statement s = c.createStatement()) {
                String after = "";
                while (true) {
                    int rows = 0;
                    String last = after;
                    try (ResultSet rs = s.executeQuery(pageQuery(predicate, after, BIG_PAGE + 1))) {
                        while (rs.next()) {
                            if (++rows <= BIG_PAGE) last = rs.getString(1);
                        }
                    }
                    if (rows <= BIG_PAGE) break;
                    after = last;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            return new Timed(firstPage.how().replace(", by ref", "") + ", pages of " + BIG_PAGE, (System.nanoTime() - t) / 1e6);
        }

        /** How each predicate's first page is planned and how many rows of vibes it read. */
        String pagePlans(BenchDatabase db) {
            return "jsonpath: " + plan(db, pageQuery(jsonPath, "", PAGE + 1)) + "; text LIKE: "
                    + plan(db, pageQuery(text, "", PAGE + 1));
        }

        private static final Pattern SCAN = Pattern.compile(
                "(Parallel Seq Scan|Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)( using \\w+)? on vibes v .*"
                        + "actual time=[0-9.]+\\.\\.[0-9.]+ rows=(\\d+) loops=(\\d+)");
        private static final Pattern REMOVED = Pattern.compile("Rows Removed by Filter: (\\d+)");

        private static String plan(BenchDatabase db, String sql) {
            List<String> lines = new ArrayList<>();
            try (Connection c = db.admin(); PreparedStatement p = c.prepareStatement("EXPLAIN (ANALYZE) " + sql);
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) lines.add(rs.getString(1));
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = SCAN.matcher(lines.get(i));
                if (!m.find()) continue;
                long loops = Long.parseLong(m.group(4));
                long read = Long.parseLong(m.group(3));
                for (int j = i + 1; j < lines.size() && j <= i + 4; j++) {
                    Matcher r = REMOVED.matcher(lines.get(j));
                    if (r.find()) read += Long.parseLong(r.group(1));
                }
                boolean sorted = lines.subList(0, i).stream().anyMatch(l -> l.contains("Sort"));
                return m.group(1) + (m.group(2) == null ? "" : m.group(2)) + ", " + String.format("%,d", read * loops)
                        + " rows read" + (sorted ? ", then sorted" : ", in ref order");
            }
            return "(no scan of vibes in the plan)";
        }
    }
}
