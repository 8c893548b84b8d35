package dev.refinery.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a branch can see: its own visibility entries, and its ancestors' up to each fork point.
 * The first scope is the branch itself (unbounded); each next one is the base, bounded by the
 * smallest fork refinement id on the way down.
 */
public record BranchLineage(List<Scope> scopes) {

    /** Entries of {@code branch} with a refinement id up to {@code upToRefinementId} are visible. */
    public record Scope(BranchName branch, long upToRefinementId) {}

    public BranchLineage {
        scopes = List.copyOf(scopes);
        if (scopes.isEmpty()) throw new IllegalArgumentException("a lineage has at least the branch itself");
    }

    /**
     * The lineage of {@code branch}, following bases through {@code lookup}.
     *
     * @return empty when the branch (or, for a broken store, one of its bases) does not exist
     */
    public static Optional<BranchLineage> of(BranchName branch, Function<BranchName, Optional<Branch>> lookup) {
        List<Scope> scopes = new ArrayList<>();
        long bound = Long.MAX_VALUE;
        Optional<Branch> current = lookup.apply(branch);
        if (current.isEmpty()) return Optional.empty();
        while (current.isPresent()) {
            Branch b = current.get();
            scopes.add(new Scope(b.name(), bound));
            if (b.base().isEmpty()) break;
            bound = Math.min(bound, b.forkRefinementId());
            current = lookup.apply(b.base().get());
            if (current.isEmpty()) return Optional.empty();
            if (scopes.size() > 10_000) throw new IllegalStateException("branch lineage does not end: " + branch);
        }
        return Optional.of(new BranchLineage(scopes));
    }

    public BranchName branch() {
        return scopes.get(0).branch();
    }

    /** Whether the entry is visible on this lineage's branch as of {@code asOf}. */
    public boolean admits(Visibility entry, Instant asOf) {
        if (entry.visibleAt().isAfter(asOf)) return false;
        for (Scope s : scopes) {
            if (s.branch().equals(entry.branch()) && entry.refinementId() <= s.upToRefinementId()) return true;
        }
        return false;
    }

    /** Whether the entry is visible on this lineage's branch now. */
    public boolean admits(Visibility entry) {
        return admits(entry, Instant.MAX);
    }
}
