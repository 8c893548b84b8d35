package dev.refinery.domain.log;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 6962/9162 reference vectors (transparency-dev/merkle testonly, certificate-transparency-go). */
class MerkleProofsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f"};
    private static final String[] ROOTS = {
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    /** A tree kept as the sequencer keeps it: every complete subtree an append closes. */
    static final class Stored implements PerfectSubtrees {
        final Map<String, byte[]> nodes = new HashMap<>();
        final CompactRange range = CompactRange.empty();

        void append(byte[] leafHash) {
            for (CompactRange.Node n : range.append(leafHash)) nodes.put(n.level() + "/" + n.index(), n.hash());
        }

        @Override
        public byte[] hash(int level, long index) {
            byte[] h = nodes.get(level + "/" + index);
            if (h == null) throw new AssertionError("no subtree " + level + "/" + index);
            return h;
        }
    }

    private static Stored reference() {
        Stored tree = new Stored();
        for (String leaf : LEAVES) tree.append(MerkleHash.leaf(HEX.parseHex(leaf)));
        return tree;
    }

    @Test
    void emptyTreeRootIsSha256OfNothing() {
        assertEquals(ROOTS[0], MerkleHash.hex(MerkleHash.empty()));
        assertEquals(ROOTS[0], MerkleHash.hex(CompactRange.empty().root()));
    }

    @Test
    void rootsOfEveryPrefixAreTheReferenceRoots() {
        Stored tree = new Stored();
        for (int n = 0; n <= LEAVES.length; n++) {
            assertEquals(ROOTS[n], MerkleHash.hex(tree.range.root()), "root of " + n + " by the compact range");
            assertEquals(ROOTS[n], MerkleHash.hex(MerkleProofs.root(n, tree)), "root of " + n + " from subtrees");
            if (n < LEAVES.length) tree.append(MerkleHash.leaf(HEX.parseHex(LEAVES[n])));
        }
    }

    @Test
    void compactRangeReadBackFromStoredSubtreesContinuesTheSameTree() {
        Stored tree = reference();
        for (int n = 0; n <= LEAVES.length; n++) {
            assertEquals(ROOTS[n], MerkleHash.hex(CompactRange.of(n, tree).root()));
        }
    }

    @Test
    void inclusionProofsAreTheReferenceProofs() {
        Stored tree = reference();
        assertEquals(List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
                hex(MerkleProofs.inclusion(0, 8, tree)));
        assertEquals(List.of("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
                hex(MerkleProofs.inclusion(5, 8, tree)));
    }

    @Test
    void consistencyProofsAreTheReferenceProofs() {
        Stored tree = reference();
        assertEquals(List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
                hex(MerkleProofs.consistency(2, 8, tree)));
        assertEquals(List.of("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
                hex(MerkleProofs.consistency(6, 8, tree)));
        assertEquals(List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                hex(MerkleProofs.consistency(2, 5, tree)));
    }

    @Test
    void everyProofOfEveryTreeUpTo70LeavesVerifiesAndAWrongOneDoesNot() {
        Stored tree = new Stored();
        List<byte[]> leaves = new ArrayList<>();
        List<byte[]> roots = new ArrayList<>();
        roots.add(tree.range.root());
        for (int i = 0; i < 70; i++) {
            byte[] leaf = MerkleHash.leaf(new byte[]{(byte) i, (byte) (i * 7)});
            leaves.add(leaf);
            tree.append(leaf);
            roots.add(tree.range.root());
        }
        for (int n = 1; n <= 70; n++) {
            byte[] root = roots.get(n);
            for (int i = 0; i < n; i++) {
                List<byte[]> path = MerkleProofs.inclusion(i, n, tree);
                assertTrue(MerkleProofs.verifyInclusion(i, n, leaves.get(i), path, root), i + " in " + n);
                assertFalse(MerkleProofs.verifyInclusion(i, n, leaves.get((i + 1) % 70), path, root));
                if (n > 1) assertFalse(MerkleProofs.verifyInclusion((i + 1) % n, n, leaves.get(i), path, root));
            }
            for (int m = 0; m <= n; m++) {
                List<byte[]> proof = MerkleProofs.consistency(m, n, tree);
                assertTrue(MerkleProofs.verifyConsistency(m, n, roots.get(m), root, proof), m + " to " + n);
                if (m > 0 && m < n) {
                    assertFalse(MerkleProofs.verifyConsistency(m, n, roots.get(m - 1), root, proof));
                    assertFalse(MerkleProofs.verifyConsistency(m, n, roots.get(m), roots.get(n - 1), proof));
                    List<byte[]> bent = new ArrayList<>(proof);
                    bent.set(0, MerkleHash.leaf(new byte[]{1}));
                    assertFalse(MerkleProofs.verifyConsistency(m, n, roots.get(m), root, bent));
                }
            }
        }
    }

    @Test
    void appendClosesTheCompleteSubtrees() {
        CompactRange range = CompactRange.empty();
        range.append(MerkleHash.leaf(new byte[]{0}));
        range.append(MerkleHash.leaf(new byte[]{1}));
        range.append(MerkleHash.leaf(new byte[]{2}));
        List<CompactRange.Node> closed = range.append(MerkleHash.leaf(new byte[]{3}));
        assertEquals(List.of("0/3", "1/1", "2/0"), closed.stream().map(n -> n.level() + "/" + n.index()).toList());
        assertArrayEquals(closed.getLast().hash(), range.root());
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(MerkleHash::hex).toList();
    }
}
