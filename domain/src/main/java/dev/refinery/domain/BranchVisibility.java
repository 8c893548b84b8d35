package dev.refinery.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rules of what a branch sees. The head of an id on a branch is the highest revision that is
 * visible there; revisions continue from the head, so a branch forked when main had {@code x?3}
 * writes {@code x?4} next.
 */
public final class BranchVisibility {
    private BranchVisibility() {}

    /** The latest revision among {@code entriesOfOneId} visible on the lineage's branch as of {@code asOf}. */
    public static Optional<VibeRef> head(Collection<Visibility> entriesOfOneId, BranchLineage lineage, Instant asOf) {
        return entriesOfOneId.stream()
                .filter(v -> lineage.admits(v, asOf))
                .map(Visibility::ref)
                .max(Comparator.comparing(VibeRef::revision));
    }

    /** Every revision among {@code entriesOfOneId} visible on the lineage's branch as of {@code asOf}, newest first. */
    public static List<VibeRef> history(Collection<Visibility> entriesOfOneId, BranchLineage lineage, Instant asOf) {
        return entriesOfOneId.stream()
                .filter(v -> lineage.admits(v, asOf))
                .map(Visibility::ref)
                .distinct()
                .sorted(Comparator.comparing(VibeRef::revision).reversed())
                .toList();
    }

    /** The revision the next write of an id gets, given its current head on the branch. */
    public static Revision nextRevision(Optional<VibeRef> head) {
        return head.map(h -> h.revision().next()).orElse(Revision.FIRST);
    }
}
