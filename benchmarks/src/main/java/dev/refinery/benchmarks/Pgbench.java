package dev.refinery.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code pgbench} running a custom SQL script against a {@link BenchDatabase} as its application role,
 * time-bounded, with per-transaction logging so that p50/p99 are exact like the HTTP client's.
 */
final class Pgbench {
    record Result(int clients, double perSecond, Latencies latencies, long transactions, long failed) {}

    private Pgbench() {}

    static Result run(BenchDatabase db, String script, int clients, Duration duration) {
        try {
            Path dir = Files.createTempDirectory("refinery-pgbench-");
            Path file = dir.resolve("script.sql");
            Files.writeString(file, script);
            int threads = Math.min(clients, Runtime.getRuntime().availableProcessors());
            List<String> command = List.of("pgbench", "-n", "-M", "prepared", "-f", file.toString(),
                    "-c", Integer.toString(clients), "-j", Integer.toString(threads),
                    "-T", Long.toString(Math.max(1, duration.toSeconds())),
                    "-l", "--log-prefix=" + dir.resolve("tx"),
                    "-h", db.server().host(), "-p", Integer.toString(db.server().port()), "-U", db.appRole(), db.name());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", db.appPassword());
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            if (code != 0) throw new IllegalStateException("pgbench exited " + code + ":\n" + output);
            Latencies latencies = new Latencies();
            long failed = 0;
            try (Stream<Path> logs = Files.list(dir)) {
                for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("tx")).toList()) {
                    for (String line : Files.readAllLines(log)) {
                        // client_id transaction_no time script_no time_epoch time_us [...]; time in µs
                        String[] f = line.split(" ");
                        if (f.length < 6) continue;
                        if (f[2].equals("failed") || f[2].equals("skipped")) {
                            failed++;
                            continue;
                        }
                        latencies.add(Long.parseLong(f[2]) * 1_000);
                    }
                }
            }
            double tps = parseTps(output);
            deleteRecursively(dir);
            return new Result(clients, tps, latencies, latencies.count(), failed);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run pgbench: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double parseTps(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("tps = ")) {
                return Double.parseDouble(line.substring(6).split(" ")[0]);
            }
        }
        throw new IllegalStateException("pgbench printed no tps:\n" + output);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            java.util.Collections.reverse(all);
            for (Path f : all) Files.deleteIfExists(f);
        }
    }
}
