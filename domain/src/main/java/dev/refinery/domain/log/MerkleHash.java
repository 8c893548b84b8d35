package dev.refinery.domain.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The hashes of an RFC 9162 Merkle tree (§2.1.1): SHA-256 with a 0x00 prefix for leaves and 0x01 for nodes. */
public final class MerkleHash {
    public static final int SIZE = 32;

    private MerkleHash() {}

    /** The root of a tree with no leaves: SHA-256 of the empty string. */
    public static byte[] empty() {
        return sha256().digest();
    }

    public static byte[] leaf(byte[] leaf) {
        MessageDigest d = sha256();
        d.update((byte) 0x00);
        d.update(leaf);
        return d.digest();
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update((byte) 0x01);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
