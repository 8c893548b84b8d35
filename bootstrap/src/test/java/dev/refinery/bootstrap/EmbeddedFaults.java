package dev.refinery.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Faults done to the embedded PostgreSQL of a data folder, as an operating system would. */
final class EmbeddedFaults {
    private EmbeddedFaults() {}

    /** The postmaster's pid, from its own lock file. */
    static long postmasterPid(Path dataDir) throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip());
    }

    /** SIGKILL to the postmaster and every process it started, at once: a crash, nothing flushed. */
    static void kill9(Path dataDir) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid(dataDir)).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.addFirst(postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            for (int i = 0; i < 200 && p.isAlive(); i++) TimeUnit.MILLISECONDS.sleep(50);
            if (p.isAlive()) throw new AssertionError("pid " + p.pid() + " survives SIGKILL");
        }
    }
}
