package dev.refinery.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One write to the ledger: one transaction that produced {@code outputRefs}. */
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
        Instant createdAt) {

    public Refinement {
        if (id < 1) throw new IllegalArgumentException("refinement ids start at 1");
        if (branch == null || authorRef == null || kind == null || message == null || idempotencyKey == null
                || createdAt == null) {
            throw new IllegalArgumentException("every field of a refinement is required (idempotencyKey may be empty)");
        }
        targetRefs = List.copyOf(targetRefs);
        instructionRefs = List.copyOf(instructionRefs);
        budgetRefs = List.copyOf(budgetRefs);
        outputRefs = List.copyOf(outputRefs);
    }
}
