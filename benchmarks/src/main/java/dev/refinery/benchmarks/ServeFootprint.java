package dev.refinery.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item 6: {@code ./refinery serve} on its embedded default (its own PostgreSQL in a fresh data folder,
 * then again on the same folder): time from the command to a healthy {@code /observe/health}, resident
 * memory of its JVM idle and under the refine load of item 1 (with the embedded PostgreSQL's beside it).
 */
final class ServeFootprint implements Benchmark {
    @Override
    public int run(Options options, Report report) throws Exception {
        Duration idle = options.seconds("idle", 5);
        Duration load = options.seconds("load", 10);
        int clients = options.integer("clients", 16);
        int starts = options.integer("starts", 2);
        Path root = Path.of(options.text("root", findRoot().toString()));
        report.header("serve-footprint", "./refinery serve: time to ready, resident memory idle and under load (item 6)");
        report.configuration(options, Map.of("command", "./refinery serve --data-dir TMP --port P (embedded PostgreSQL)"));
        // the launcher builds when sources changed: do that first, untimed
        PostgresServer.Commands.run(Duration.ofMinutes(10), root.resolve("refinery").toString(), "version");
        Path data = Files.createTempDirectory("refinery-serve-");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("start", "ready ms", "in-JVM ms", "JVM RSS idle MiB", "JVM RSS under load MiB", "PostgreSQL RSS MiB",
                "refines/s"));
        try {
            for (String start : List.of("first (empty data dir)", "second (same data dir)").subList(0, Math.min(2, starts))) {
                rows.add(once(root, data, start, idle, load, clients));
            }
        } finally {
            PostgresServer.Commands.run(Duration.ofMinutes(1), "rm", "-rf", data.toString());
        }
        report.table(rows);
        report.line("RSS is VmRSS; the embedded PostgreSQL's is the sum over its processes under load (shared memory counted in each)");
        return 0;
    }

    private static List<String> once(Path root, Path data, String name, Duration idle, Duration load, int clients) throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("refinery-serve-", ".log");
        ProcessBuilder b = new ProcessBuilder(root.resolve("refinery").toString(), "serve", "--data-dir", data.toString(),
                "--port", Integer.toString(port)).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        b.environment().keySet().removeIf(k -> k.startsWith("REFINERY_"));
        b.environment().put("REFINERY_TEMPORAL_PORT", Integer.toString(RefineryProcess.freePort()));
        long t0 = System.nanoTime();
        Process p = b.start();
        try {
            RefineryProcess.waitHealthy("127.0.0.1", port, Duration.ofSeconds(120));
            long ready = (System.nanoTime() - t0) / 1_000_000;
            String text = Files.readString(log);
            var m = java.util.regex.Pattern.compile("ready on http://\\S+ in (\\d+) ms").matcher(text);
            String inJvm = m.find() ? m.group(1) : "?";
            PostgresServer.sleep(idle.toMillis());
            long idleKib = RefineryProcess.residentKib(p.pid());
            try (HttpConnection c = new HttpConnection("127.0.0.1", port, 30_000)) {
                c.post("/v1/refinements", Workload.addressSchemaRefine());  // 201 the first time, 200 unchanged later
            }
            AtomicLong peak = new AtomicLong();
            AtomicLong pgPeak = new AtomicLong();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(RefineryProcess.residentKib(p.pid()), Math::max);
                    pgPeak.accumulateAndGet(postgresKib(data), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Load.Result r = Load.run("127.0.0.1", port, clients, load, 30_000, (c, client, seq) -> c.post("/v1/refinements",
                    Workload.refineWithReference("main", "serve/" + System.nanoTime() + "/" + client + "/" + seq, "c" + seq)));
            sampler.interrupt();
            sampler.join();
            return List.of(name, Long.toString(ready), inJvm, Long.toString(idleKib / 1024), Long.toString(peak.get() / 1024),
                    Long.toString(pgPeak.get() / 1024), Report.num(r.perSecond()));
        } finally {
            p.destroy();  // SIGTERM: the launcher exec'd java, whose shutdown hook stops the embedded PostgreSQL
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** The summed VmRSS of the postgres processes serving {@code data}. */
    private static long postgresKib(Path data) {
        long sum = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                    if (!cmd.contains("postgres")) continue;
                    long pid = Long.parseLong(proc.getFileName().toString());
                    // the postmaster names the data dir; its children are found by their parent
                    if (cmd.contains(data.toString()) || isChildOfPostmaster(pid, data)) sum += RefineryProcess.residentKib(pid);
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    private static boolean isChildOfPostmaster(long pid, Path data) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                .flatMap(parent -> parent.info().arguments().map(a -> String.join(" ", a)))
                .map(args -> args.contains(data.toString())).orElse(false);
    }

    /** The repository root: the nearest folder up from here holding the {@code refinery} launcher. */
    static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("refinery")) && Files.exists(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("no ./refinery launcher above " + Path.of("").toAbsolutePath() + " (give --root=DIR)");
    }
}
