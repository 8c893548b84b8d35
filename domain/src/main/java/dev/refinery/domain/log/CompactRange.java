package dev.refinery.domain.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a Merkle tree: for each set bit of the size, the hash of the complete subtree it
 * stands for. Appending a leaf costs O(log n) and yields every complete subtree it closes, so a log
 * can store them for proofs; the root is folded from the edge without reading any leaf.
 */
public final class CompactRange {
    /** A complete aligned subtree that an append closed: {@code 2^level} leaves from {@code index * 2^level}. */
    public record Node(int level, long index, byte[] hash) {}

    private long size;
    /** hashes[level] is the pending left subtree at that level, when bit {@code level} of size is set. */
    private final List<byte[]> hashes = new ArrayList<>();

    private CompactRange(long size) {
        this.size = size;
    }

    public static CompactRange empty() {
        return new CompactRange(0);
    }

    /** The edge of a tree of {@code size} leaves, read from its stored complete subtrees. */
    public static CompactRange of(long size, PerfectSubtrees subtrees) {
        if (size < 0) throw new IllegalArgumentException("a tree size is never negative: " + size);
        CompactRange range = new CompactRange(size);
        for (int level = 0; level < 64 && (size >>> level) != 0; level++) {
            boolean set = ((size >>> level) & 1) == 1;
            range.hashes.add(set ? subtrees.hash(level, (size >>> level) - 1) : null);
        }
        return range;
    }

    public long size() {
        return size;
    }

    /** Appends a leaf hash; returns the complete subtrees this closes, the leaf itself first. */
    public List<Node> append(byte[] leafHash) {
        if (leafHash.length != MerkleHash.SIZE) throw new IllegalArgumentException("a leaf hash has 32 bytes");
        List<Node> closed = new ArrayList<>();
        byte[] hash = leafHash;
        long index = size;
        int level = 0;
        closed.add(new Node(0, index, hash));
        while ((index & 1) == 1) {
            hash = MerkleHash.node(hashes.get(level), hash);
            hashes.set(level, null);
            index >>>= 1;
            level++;
            closed.add(new Node(level, index, hash));
        }
        while (hashes.size() <= level) hashes.add(null);
        hashes.set(level, hash);
        size++;
        return closed;
    }

    /** The RFC 9162 root hash of the tree so far. */
    public byte[] root() {
        byte[] root = null;
        for (byte[] h : hashes) {
            if (h == null) continue;
            root = root == null ? h : MerkleHash.node(h, root);
        }
        return root == null ? MerkleHash.empty() : root;
    }
}
