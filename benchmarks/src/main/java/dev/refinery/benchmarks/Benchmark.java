package dev.refinery.benchmarks;

/** One benchmark or reliability check, run by {@link Main} under its name. */
interface Benchmark {
    /** @return the exit code: 0, or 1 when a reliability check failed */
    int run(Options options, Report report) throws Exception;
}
