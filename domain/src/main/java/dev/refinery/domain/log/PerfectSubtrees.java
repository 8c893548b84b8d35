package dev.refinery.domain.log;

/**
 * Where a proof finds the hashes it needs: the hash of each complete, aligned subtree of a tree, the
 * one of {@code 2^level} leaves starting at leaf {@code index * 2^level} (level 0 is the leaf hashes).
 * A log keeps these as it appends, so a proof costs O(log² n) look-ups, never a pass over the leaves.
 */
@FunctionalInterface
public interface PerfectSubtrees {
    byte[] hash(int level, long index);
}
