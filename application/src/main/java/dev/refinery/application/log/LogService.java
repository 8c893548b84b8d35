package dev.refinery.application.log;

import dev.refinery.application.log.LogUseCases.ConsistencyOutcome;
import dev.refinery.application.log.LogUseCases.ConsistencyProofUseCase;
import dev.refinery.application.log.LogUseCases.InclusionOutcome;
import dev.refinery.application.log.LogUseCases.InclusionProofUseCase;
import dev.refinery.application.log.LogUseCases.LatestCheckpointUseCase;
import dev.refinery.application.log.LogUseCases.LeafUseCase;
import dev.refinery.application.log.LogUseCases.VerifierKeyUseCase;
import dev.refinery.domain.log.MerkleProofs;
import dev.refinery.domain.log.NoteVerifier;

import java.util.Optional;
import java.util.OptionalLong;

/** Proofs are given for tree sizes up to the newest checkpoint's: the sizes whose roots a client can hold, signed. */
public final class LogService implements LatestCheckpointUseCase, VerifierKeyUseCase, LeafUseCase,
        InclusionProofUseCase, ConsistencyProofUseCase {
    private final LogStore store;
    private final NoteVerifier verifier;

    public LogService(LogStore store, NoteVerifier verifier) {
        this.store = store;
        this.verifier = verifier;
    }

    @Override
    public Optional<SignedCheckpoint> latestCheckpoint() {
        return store.latestCheckpoint();
    }

    @Override
    public String verifierKey() {
        return verifier.toString();
    }

    @Override
    public Optional<LogEntry> leaf(long refinementId) {
        return store.entry(refinementId);
    }

    @Override
    public InclusionOutcome inclusion(long refinementId, OptionalLong size) {
        Optional<LogEntry> entry = store.entry(refinementId);
        if (entry.isEmpty()) return new InclusionOutcome.NotIntegrated(refinementId);
        long newest = newestSize();
        long n = size.orElse(newest);
        long index = entry.get().index();
        if (n > newest) {
            return new InclusionOutcome.BadSize("size " + n + " is beyond the newest checkpoint (size " + newest + ")");
        }
        if (index >= n) {
            return new InclusionOutcome.BadSize("refinement " + refinementId + " is leaf " + index
                    + ", not in the tree of size " + n);
        }
        return new InclusionOutcome.Proof(index, n, store.withTree(tree -> MerkleProofs.inclusion(index, n, tree)));
    }

    @Override
    public ConsistencyOutcome consistency(long from, long to) {
        long newest = newestSize();
        if (from < 1 || from > to) {
            return new ConsistencyOutcome.BadSizes("from must be at least 1 and at most to (from " + from + ", to " + to + ")");
        }
        if (to > newest) {
            return new ConsistencyOutcome.BadSizes("to " + to + " is beyond the newest checkpoint (size " + newest + ")");
        }
        return new ConsistencyOutcome.Proof(from, to, store.withTree(tree -> MerkleProofs.consistency(from, to, tree)));
    }

    private long newestSize() {
        return store.latestCheckpoint().map(SignedCheckpoint::size).orElse(0L);
    }
}
