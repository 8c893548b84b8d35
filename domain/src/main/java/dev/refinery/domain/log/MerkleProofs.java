package dev.refinery.domain.log;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Inclusion and consistency proofs of an RFC 9162 Merkle tree (§2.1.3 and §2.1.4): generated from a
 * tree's complete subtrees, and verified with nothing but the hashes a client holds.
 */
public final class MerkleProofs {
    private MerkleProofs() {}

    /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves (RFC 9162 §2.1.3.1). */
    public static List<byte[]> inclusion(long index, long size, PerfectSubtrees tree) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(index, 0, size, tree, path);
        return path;
    }

    /** The proof that the tree of {@code from} leaves is a prefix of the tree of {@code to} leaves (§2.1.4.1). */
    public static List<byte[]> consistency(long from, long to, PerfectSubtrees tree) {
        if (from < 0 || from > to) {
            throw new IllegalArgumentException("no consistency proof from size " + from + " to size " + to);
        }
        List<byte[]> proof = new ArrayList<>();
        if (from == 0 || from == to) return proof;
        subproof(from, 0, to, true, tree, proof);
        return proof;
    }

    /** The root hash of the tree of the first {@code size} leaves. */
    public static byte[] root(long size, PerfectSubtrees tree) {
        return size == 0 ? MerkleHash.empty() : subtree(0, size, tree);
    }

    /** Whether {@code path} proves {@code leafHash} is leaf {@code index} of the tree of {@code size} with {@code root} (§2.1.3.2). */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= size) return false;
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /** Whether {@code proof} shows the tree of {@code from} with {@code fromRoot} is a prefix of the one of {@code to} (§2.1.4.2). */
    public static boolean verifyConsistency(long from, long to, byte[] fromRoot, byte[] toRoot, List<byte[]> proof) {
        if (from < 0 || from > to) return false;
        if (from == to) return proof.isEmpty() && MessageDigest.isEqual(fromRoot, toRoot);
        if (from == 0) return proof.isEmpty();
        if (proof.isEmpty()) return false;
        List<byte[]> c = new ArrayList<>(proof);
        if (Long.bitCount(from) == 1) c.addFirst(fromRoot);
        long fn = from - 1;
        long sn = to - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = c.getFirst();
        byte[] sr = c.getFirst();
        for (byte[] h : c.subList(1, c.size())) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(h, fr);
                sr = MerkleHash.node(h, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = MerkleHash.node(sr, h);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, fromRoot) && MessageDigest.isEqual(sr, toRoot);
    }

    private static void path(long m, long lo, long hi, PerfectSubtrees tree, List<byte[]> out) {
        long n = hi - lo;
        if (n == 1) return;
        long k = largestPowerOfTwoBelow(n);
        if (m - lo < k) {
            path(m, lo, lo + k, tree, out);
            out.add(subtree(lo + k, hi, tree));
        } else {
            path(m, lo + k, hi, tree, out);
            out.add(subtree(lo, lo + k, tree));
        }
    }

    private static void subproof(long m, long lo, long hi, boolean whole, PerfectSubtrees tree, List<byte[]> out) {
        long n = hi - lo;
        if (m == n) {
            if (!whole) out.add(subtree(lo, hi, tree));
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, lo, lo + k, whole, tree, out);
            out.add(subtree(lo + k, hi, tree));
        } else {
            subproof(m - k, lo + k, hi, false, tree, out);
            out.add(subtree(lo, lo + k, tree));
        }
    }

    /** MTH of leaves [lo, hi): every range the recursion asks for starts on a boundary of its largest power of two. */
    private static byte[] subtree(long lo, long hi, PerfectSubtrees tree) {
        long n = hi - lo;
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            return tree.hash(level, lo >>> level);
        }
        long k = largestPowerOfTwoBelow(n);
        return MerkleHash.node(subtree(lo, lo + k, tree), subtree(lo + k, hi, tree));
    }

    /** The k of RFC 9162: the largest power of two smaller than n (n > 1). */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }
}
