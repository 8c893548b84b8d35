package dev.refinery.benchmarks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic of refine-throughput's "cores busy" and "ratio, server free" columns. */
class RefineThroughputTest {

    /** {@code ok} refines answered over {@code seconds}. */
    private static Load.Result refines(long ok, double seconds) {
        Latencies latencies = new Latencies();
        for (long i = 0; i < ok; i++) latencies.add(1_000_000);
        return new Load.Result(4, Duration.ofMillis((long) (seconds * 1000)), latencies, Map.of(201, ok), 0, 0, List.of());
    }

    @Test
    void aServerCostingNothingLeavesPostgresAndTheClientToShareTheCores() {
        // Refinery: 2,000 refines in 2 s; server 1.0 s, PostgreSQL 1.6 s, client 0.4 s of CPU = 75% of 2 cores
        CpuMeter.Sample refinery = new CpuMeter.Sample(0.4, 0, 1.0, 1.6);
        // pgbench: 4,000 transactions at 2,000/s (2 s); PostgreSQL 3.2 s, pgbench 0.4 s = 90% of 2 cores
        CpuMeter.Sample pgbench = new CpuMeter.Sample(0, 0.4, 0, 3.2);
        Pgbench.Result p = new Pgbench.Result(4, 2000, new Latencies(), 4000, 0);

        RefineThroughput.Ceiling c = RefineThroughput.ceiling(refinery, refines(2000, 2), pgbench, p, 2);

        assertEquals(0.75, c.refineryBusy(), 1e-9);
        assertEquals(0.90, c.pgbenchBusy(), 1e-9);
        // 0.9 ms per transaction against 1.0 ms of PostgreSQL and client per refine
        assertEquals(0.9, c.serverFree(), 1e-9);
        assertEquals(List.of("|", "75% / 90%", "0.90"), c.cells());
        assertFalse(c.saturated(), "Refinery left a quarter of the cores idle: the figure bounds nothing");
    }

    @Test
    void theBoundCountsOnlyWhereBothSidesKeptTheCoresBusy() {
        CpuMeter.Sample refinery = new CpuMeter.Sample(0.2, 0, 1.0, 2.4); // 3.6 s in 2 s on 2 cores: 90%
        CpuMeter.Sample pgbench = new CpuMeter.Sample(0, 0.2, 0, 3.4);    // 3.6 s: 90%
        Pgbench.Result p = new Pgbench.Result(4, 2000, new Latencies(), 4000, 0);

        RefineThroughput.Ceiling c = RefineThroughput.ceiling(refinery, refines(2000, 2), pgbench, p, 2);

        assertTrue(c.saturated());
        assertEquals(0.9 / 1.3, c.serverFree(), 1e-9);
    }

    @Test
    void anUnknownPostgresCpuLeavesBothCellsOpen() {
        CpuMeter.Sample shared = new CpuMeter.Sample(0.2, 0, 1.0, -1); // a shared server: PostgreSQL's CPU unknown
        Pgbench.Result p = new Pgbench.Result(4, 2000, new Latencies(), 4000, 0);

        RefineThroughput.Ceiling c = RefineThroughput.ceiling(shared, refines(2000, 2), shared, p, 2);

        assertEquals(List.of("|", "-", "-"), c.cells());
        assertFalse(c.saturated());
    }
}
