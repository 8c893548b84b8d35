package dev.refinery.application.port;

import dev.refinery.domain.VibeRef;

import java.util.Comparator;

/**
 * A place in a listing of the dependency graph ({@link LedgerTransaction#dependents},
 * {@link LedgerTransaction#dependencies}, {@link LedgerTransaction#impact}): such listings are ordered by
 * depth, then by the ref each item names, and a page starts after the key of the last item of the page before.
 * Refs are ordered as their canonical text ({@code BRANCH@ID?REVISION}) by {@link String#compareTo}, which is
 * PostgreSQL's {@code "C"} collation for these ASCII texts (not {@link VibeRef#compareTo}, which orders revisions
 * numerically): {@code main@x?10} comes before {@code main@x?2}.
 */
public record GraphKey(int depth, VibeRef ref) implements Comparable<GraphKey> {
    /** The order of graph listings: depth, then the ref's canonical text. */
    public static final Comparator<GraphKey> ORDER =
            Comparator.comparingInt(GraphKey::depth).thenComparing(k -> k.ref().toString());

    public GraphKey {
        if (depth < 1) throw new IllegalArgumentException("a depth is at least 1, not " + depth);
        if (ref == null) throw new IllegalArgumentException("a graph key names a ref");
    }

    @Override
    public int compareTo(GraphKey other) {
        return ORDER.compare(this, other);
    }
}
