package dev.refinery.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code benchmarks/run NAME [--option=value ...]}: runs one benchmark or reliability check (see
 * benchmarks/README.md for each one's options and what it prints).
 */
public final class Main {
    static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("refine-throughput", new RefineThroughput());
        BENCHMARKS.put("ledger-growth", new LedgerGrowth());
        BENCHMARKS.put("schema-closure", new SchemaClosure());
        BENCHMARKS.put("impact", new ImpactScan());
        BENCHMARKS.put("serve-footprint", new ServeFootprint());
        BENCHMARKS.put("process-throughput", new ProcessThroughput());
        BENCHMARKS.put("rel-concurrency", new ConcurrencyCheck());
        BENCHMARKS.put("rel-db-restart", new DatabaseRestartCheck());
        BENCHMARKS.put("rel-bad-input", new BadInput());
        BENCHMARKS.put("rel-process-crash", new ProcessCrashCheck());
        BENCHMARKS.put("rel-hostile", new HostileCheck());
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String... args) throws Exception {
        return run(Report.stdout(), args);
    }

    static int run(Report report, String... args) throws Exception {
        if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
            System.err.println("usage: benchmarks/run NAME [--option=value ...], NAME one of: "
                    + String.join(", ", BENCHMARKS.keySet()));
            return 2;
        }
        return BENCHMARKS.get(args[0]).run(new Options(Arrays.copyOfRange(args, 1, args.length)), report);
    }
}
