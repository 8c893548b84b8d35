package dev.refinery.domain;

import java.time.Instant;

/**
 * The moment a revision became visible on a branch: when it was written there, or when a
 * fast-forward merge brought it there. {@code refinementId} is the refinement that made it visible.
 */
public record Visibility(VibeRef ref, BranchName branch, long refinementId, Instant visibleAt) {
    public Visibility {
        if (ref == null || branch == null || visibleAt == null) {
            throw new IllegalArgumentException("ref, branch and visibleAt are required");
        }
    }
}
