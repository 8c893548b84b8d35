package dev.refinery.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One write to the ledger: one transaction that produced {@code outputRefs}. {@code requestDigest} is the digest of
 * the request that carried {@code idempotencyKey} (empty without a key, for a run's result, and for refinements
 * recorded before digests were).
 */
public record Refinement(
        long id,
        BranchName branch,
        VibeRef authorRef,
        RefinementKind kind,
        List<VibeRef> targetRefs,
        List<VibeRef> instructionRefs,
        List<VibeRef> budgetRefs,
        List<VibeRef> outputRefs,
        String message,
        Optional<String> idempotencyKey,
        Optional<Digest> requestDigest,
        Instant createdAt) {

    public Refinement {
        if (id < 1) throw new IllegalArgumentException("refinement ids start at 1");
        if (branch == null || authorRef == null || kind == null || message == null || idempotencyKey == null
                || requestDigest == null || createdAt == null) {
            throw new IllegalArgumentException(
                    "every field of a refinement is required (idempotencyKey and requestDigest may be empty)");
        }
        if (requestDigest.isPresent() && idempotencyKey.isEmpty()) {
            throw new IllegalArgumentException("a request digest goes with an idempotency key");
        }
        targetRefs = List.copyOf(targetRefs);
        instructionRefs = List.copyOf(instructionRefs);
        budgetRefs = List.copyOf(budgetRefs);
        outputRefs = List.copyOf(outputRefs);
    }
}
