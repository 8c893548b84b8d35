package dev.refinery.domain.process;

/**
 * How large a run's data may grow, in bytes of compact JSON: each step's input (after its {@code $from}s are
 * replaced), each step's output, and the run document ({@code {input, steps: {NAME: {output}}}}, which the result
 * is evaluated from and which the saga keeps). Past any of them the run fails with the reason, once: a template
 * that doubles its output at every step, or a {@code $from} repeated a thousand times, stops at the limit instead
 * of filling the memory.
 */
public record RunLimits(long maxStepInputBytes, long maxStepOutputBytes, long maxRunDocumentBytes) {
    public static final long MIB = 1L << 20;
    public static final RunLimits DEFAULT = new RunLimits(MIB, MIB, MIB);

    public RunLimits {
        if (maxStepInputBytes < 1 || maxStepOutputBytes < 1 || maxRunDocumentBytes < 1) {
            throw new IllegalArgumentException("run limits must be positive");
        }
    }
}
