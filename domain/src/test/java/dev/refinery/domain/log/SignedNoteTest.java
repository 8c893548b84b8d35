package dev.refinery.domain.log;

import org.junit.jupiter.api.Test;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The golang.org/x/mod/sumdb/note example (note_test.go) as the reference. */
class SignedNoteTest {
    private static final String VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String SEED = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"; // 0x01 || seed
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String NOTE = TEXT + "\n\u2014 PeterNeumann "
            + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void verifierStringRoundTripsAndItsKeyIdIsTheHashOfNameAndKey() {
        NoteVerifier v = NoteVerifier.parse(VERIFIER).orElseThrow();
        assertEquals("PeterNeumann", v.name());
        assertEquals(0xc74f20a3, v.keyId());
        assertEquals(VERIFIER, v.toString());
        assertEquals(VERIFIER, NoteVerifier.of("PeterNeumann", v.publicKey()).toString());
    }

    @Test
    void aVerifierWhoseBase64HoldsAPlusIsRead() {
        // transparency-dev/formats note tests: the key material's base64 contains '+'
        String plus = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";
        assertEquals(plus, NoteVerifier.parse(plus).orElseThrow().toString());
    }

    @Test
    void aVerifierWithAWrongKeyIdIsRejected() {
        assertEquals(Optional.empty(), NoteVerifier.parse(VERIFIER.replace("c74f20a3", "c74f20a4")));
        assertEquals(Optional.empty(), NoteVerifier.parse("PeterNeumann+c74f20a3"));
    }

    @Test
    void signingTheExampleGivesTheReferenceNoteByteForByte() throws Exception {
        byte[] typed = Base64.getDecoder().decode(SEED);
        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + HexFormat.of().formatHex(typed, 1, 33));
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        assertEquals(NOTE, SignedNote.sign(TEXT, key, NoteVerifier.parse(VERIFIER).orElseThrow()));
    }

    @Test
    void theReferenceNoteOpensAndAnyChangeToItDoesNot() {
        NoteVerifier v = NoteVerifier.parse(VERIFIER).orElseThrow();
        assertEquals(Optional.of(TEXT), SignedNote.open(NOTE, v));
        assertEquals(Optional.empty(), SignedNote.open(NOTE.replace("cryptography", "cryptographY"), v));
        assertEquals(Optional.empty(), SignedNote.open(NOTE.replace("x08go", "x08gp"), v));
        assertEquals(Optional.empty(), SignedNote.open(TEXT, v));
    }

    @Test
    void aCheckpointSignedWithAFreshKeyOpensOnlyWithThatKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        NoteVerifier v = NoteVerifier.of("refinery.local/log", pair.getPublic());
        Checkpoint cp = new Checkpoint("refinery.local/log", 8,
                HexFormat.of().parseHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));
        String note = SignedNote.sign(cp.body(), pair.getPrivate(), v);
        assertTrue(note.startsWith("refinery.local/log\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqt" ));
        assertEquals(Optional.of(cp), SignedNote.open(note, v).flatMap(Checkpoint::parse));
        assertEquals(Optional.empty(), SignedNote.open(note, NoteVerifier.of("refinery.local/log", other.getPublic())));
        assertThrows(IllegalArgumentException.class, () -> SignedNote.sign(cp.body(), other.getPrivate(), v));
    }

    @Test
    void checkpointBodyIsOriginSizeAndBase64Root() {
        Checkpoint cp = new Checkpoint("example.com/log", 0, MerkleHash.empty());
        assertEquals("example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", cp.body());
        assertEquals(Optional.of(cp), Checkpoint.parse(cp.body()));
        assertEquals(Optional.empty(), Checkpoint.parse("example.com/log\n01\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"));
        assertEquals(Optional.empty(), Checkpoint.parse("example.com/log\n1\n"));
    }
}
