package dev.refinery.benchmarks;

import java.util.Arrays;

/**
 * Every latency of a run, in nanoseconds, kept whole (a run holds at most a few million), so the
 * percentiles are exact rather than estimated. Thread-safe: clients add concurrently.
 */
final class Latencies {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = nanos;
    }

    synchronized void addAll(Latencies other) {
        long[] theirs = other.snapshot();
        for (long v : theirs) add(v);
    }

    synchronized int count() {
        return size;
    }

    private synchronized long[] snapshot() {
        return Arrays.copyOf(values, size);
    }

    /** The latency at quantile q (0..1) in milliseconds; NaN when empty. Nearest-rank. */
    double percentileMillis(double q) {
        long[] sorted = snapshot();
        if (sorted.length == 0) return Double.NaN;
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double p50() {
        return percentileMillis(0.50);
    }

    double p99() {
        return percentileMillis(0.99);
    }

    double maxMillis() {
        return percentileMillis(1.0);
    }

    double meanMillis() {
        long[] all = snapshot();
        if (all.length == 0) return Double.NaN;
        double sum = 0;
        for (long v : all) sum += v;
        return sum / all.length / 1e6;
    }
}
