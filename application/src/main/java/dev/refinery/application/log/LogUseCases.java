package dev.refinery.application.log;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The read side of the transparency log (API.md, "Log and verification"): one port per use case. */
public final class LogUseCases {
    private LogUseCases() {}

    @FunctionalInterface
    public interface LatestCheckpointUseCase {
        Optional<SignedCheckpoint> latestCheckpoint();
    }

    @FunctionalInterface
    public interface VerifierKeyUseCase {
        /** The note verifier string of the checkpoints' signer. */
        String verifierKey();
    }

    @FunctionalInterface
    public interface LeafUseCase {
        Optional<LogEntry> leaf(long refinementId);
    }

    @FunctionalInterface
    public interface InclusionProofUseCase {
        /** {@code size} empty: the newest checkpoint's. */
        InclusionOutcome inclusion(long refinementId, OptionalLong size);
    }

    @FunctionalInterface
    public interface ConsistencyProofUseCase {
        ConsistencyOutcome consistency(long from, long to);
    }

    public sealed interface InclusionOutcome {
        record Proof(long index, long size, List<byte[]> hashes) implements InclusionOutcome {}

        /** The refinement does not exist or has not been integrated yet. */
        record NotIntegrated(long refinementId) implements InclusionOutcome {}

        /** The size asked for does not hold the refinement, or no checkpoint has that size yet. */
        record BadSize(String reason) implements InclusionOutcome {}
    }

    public sealed interface ConsistencyOutcome {
        record Proof(long from, long to, List<byte[]> hashes) implements ConsistencyOutcome {}

        record BadSizes(String reason) implements ConsistencyOutcome {}
    }
}
