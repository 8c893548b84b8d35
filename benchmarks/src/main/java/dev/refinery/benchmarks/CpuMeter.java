package dev.refinery.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time (user + system) spent by the parties of a run, read from {@code /proc} (Linux; elsewhere every figure
 * is absent): this JVM (the load client), the processes it has waited for (pgbench), the server JVM and a
 * PostgreSQL cluster (its postmaster, every live backend, and the backends that have exited, which the
 * postmaster's reaped-children times hold). Differences of two {@link Sample}s say where the cores went.
 */
final class CpuMeter {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

    /** CPU seconds so far; -1 where unknown. */
    record Sample(double client, double clientChildren, double server, double postgres) {
        Sample minus(Sample before) {
            return new Sample(diff(client, before.client), diff(clientChildren, before.clientChildren),
                    diff(server, before.server), diff(postgres, before.postgres));
        }

        private static double diff(double a, double b) {
            return a < 0 || b < 0 ? -1 : a - b;
        }
    }

    private final long serverPid;
    private final OptionalLong postmasterPid;

    CpuMeter(long serverPid, OptionalLong postmasterPid) {
        this.serverPid = serverPid;
        this.postmasterPid = postmasterPid;
    }

    Sample sample() {
        long self = ProcessHandle.current().pid();
        long[] own = times(self);
        long[] server = times(serverPid);
        double postgres = -1;
        if (postmasterPid.isPresent()) {
            long[] master = times(postmasterPid.getAsLong());
            if (master != null) {
                long ticks = master[0] + master[1] + master[2] + master[3];
                for (ProcessHandle child : ProcessHandle.of(postmasterPid.getAsLong())
                        .map(h -> h.children().toList()).orElse(java.util.List.of())) {
                    long[] t = times(child.pid());
                    if (t != null) ticks += t[0] + t[1];
                }
                postgres = seconds(ticks);
            }
        }
        return new Sample(own == null ? -1 : seconds(own[0] + own[1]), own == null ? -1 : seconds(own[2] + own[3]),
                server == null ? -1 : seconds(server[0] + server[1]), postgres);
    }

    /** utime, stime, cutime, cstime of a process, or null. */
    static long[] times(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name is in parentheses and may hold spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double seconds(long ticks) {
        return (double) ticks / TICKS_PER_SECOND;
    }

    /** The sum, or -1 when any is unknown. */
    static double sum(double... seconds) {
        double total = 0;
        for (double s : seconds) {
            if (s < 0) return -1;
            total += s;
        }
        return total;
    }

    /** Milliseconds of CPU per operation, or "-" when unknown. */
    static String perOperation(double seconds, long operations) {
        if (seconds < 0 || operations <= 0) return "-";
        return String.format("%.2f", seconds * 1000 / operations);
    }
}
