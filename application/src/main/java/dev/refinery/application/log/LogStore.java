package dev.refinery.application.log;

import dev.refinery.domain.log.PerfectSubtrees;

import java.util.Optional;
import java.util.function.Function;

/** The transparency log as stored (driven port): its newest checkpoint, its leaves and the subtrees proofs read. */
public interface LogStore {
    /** The newest signed checkpoint, if the sequencer has written one. */
    Optional<SignedCheckpoint> latestCheckpoint();

    /** A refinement's leaf, with its canonical text recomputed from the stored refinement and outputs, once integrated. */
    Optional<LogEntry> entry(long refinementId);

    /** Runs {@code work} over the stored complete subtrees, in one consistent read. */
    <T> T withTree(Function<PerfectSubtrees, T> work);
}
