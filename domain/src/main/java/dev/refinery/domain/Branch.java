package dev.refinery.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A branch. A branch other than {@code main} sees its base as it was at the fork: every
 * refinement with an id up to {@code forkRefinementId} and none after.
 */
public record Branch(BranchName name, Optional<BranchName> base, long forkRefinementId, Instant createdAt,
                     VibeRef createdBy) {
    public Branch {
        if (name == null || base == null || createdAt == null || createdBy == null) {
            throw new IllegalArgumentException("name, base, createdAt and createdBy are required");
        }
        if (base.isEmpty() != name.isMain()) {
            throw new IllegalArgumentException("exactly main has no base");
        }
        if (forkRefinementId < 0) throw new IllegalArgumentException("fork refinement id must not be negative");
    }
}
