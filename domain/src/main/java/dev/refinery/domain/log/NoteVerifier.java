package dev.refinery.domain.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A C2SP {@code signed-note} Ed25519 verifier key: a name, its 4-byte key id (the first bytes of
 * SHA-256(name || 0x0A || 0x01 || public key)) and the 32-byte public key. Its text form is the
 * verifier string {@code name+hex(keyid)+base64(0x01 || public key)}.
 */
public record NoteVerifier(String name, int keyId, byte[] publicKey) {
    static final byte ED25519 = 0x01;
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows it. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Pattern NAME = Pattern.compile("[^+\\s]+");

    public NoteVerifier {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key name is non-empty, without '+' or white space: " + name);
        }
        if (publicKey == null || publicKey.length != 32) throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
        publicKey = publicKey.clone();
        if (keyId != keyId(name, publicKey)) throw new IllegalArgumentException("the key id does not match the name and key");
    }

    public static NoteVerifier of(String name, byte[] publicKey) {
        return new NoteVerifier(name, keyId(name, publicKey), publicKey);
    }

    /** The raw 32 bytes of a JDK Ed25519 public key. */
    public static NoteVerifier of(String name, PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm()) || encoded.length != 44) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        byte[] raw = new byte[32];
        System.arraycopy(encoded, 12, raw, 0, 32);
        return of(name, raw);
    }

    public static Optional<NoteVerifier> parse(String text) {
        if (text == null) return Optional.empty();
        String[] parts = text.strip().split("\\+", 3); // the base64 key may hold a '+' itself
        if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) return Optional.empty();
        try {
            byte[] key = Base64.getDecoder().decode(parts[2]);
            if (key.length != 33 || key[0] != ED25519) return Optional.empty();
            byte[] raw = new byte[32];
            System.arraycopy(key, 1, raw, 0, 32);
            return Optional.of(new NoteVerifier(parts[0], Integer.parseUnsignedInt(parts[1], 16), raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public String toString() {
        byte[] typed = new byte[33];
        typed[0] = ED25519;
        System.arraycopy(publicKey, 0, typed, 1, 32);
        return name + "+" + String.format("%08x", keyId) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        try {
            byte[] spki = new byte[44];
            System.arraycopy(SPKI_PREFIX, 0, spki, 0, 12);
            System.arraycopy(publicKey, 0, spki, 12, 32);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static int keyId(String name, byte[] publicKey) {
        MessageDigest d = MerkleHash.sha256();
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0x0A);
        d.update(ED25519);
        d.update(publicKey);
        return bigEndianInt(d.digest(), 0);
    }

    static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteVerifier v && v.name.equals(name) && v.keyId == keyId
                && java.util.Arrays.equals(v.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + keyId;
    }
}
