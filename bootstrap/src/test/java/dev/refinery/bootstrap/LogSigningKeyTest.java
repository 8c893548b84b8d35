package dev.refinery.bootstrap;

import dev.refinery.domain.log.Checkpoint;
import dev.refinery.domain.log.MerkleHash;
import dev.refinery.domain.log.NoteSigner;
import dev.refinery.domain.log.SignedNote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSigningKeyTest {
    @TempDir
    Path dir;

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + output);
    }

    @Test
    void aKeyMadeByOpensslSignsNotesItsOwnPublicKeyVerifies() throws Exception {
        // given
        Path key = dir.resolve("key.pem");
        Path pub = dir.resolve("pub.der");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        run("openssl", "pkey", "-in", key.toString(), "-pubout", "-outform", "DER", "-out", pub.toString());
        byte[] der = Files.readAllBytes(pub);
        // when
        NoteSigner signer = LogSigningKey.read(key, "example.org/log");
        // then: the public key is openssl's, and a checkpoint signed with it opens
        assertArrayEquals(Arrays.copyOfRange(der, der.length - 32, der.length), signer.verifier().publicKey());
        Checkpoint cp = new Checkpoint("example.org/log", 0, MerkleHash.empty());
        assertEquals(Optional.of(cp.body()), SignedNote.open(signer.sign(cp), signer.verifier()));
    }

    @Test
    void theEmbeddedDefaultIsGeneratedOnceWithOwnerOnlyPermissions() throws Exception {
        Path file = dir.resolve("data").resolve(LogSigningKey.DEFAULT_FILE);
        NoteSigner first = LogSigningKey.readOrCreate(file, "refinery.local/log");
        NoteSigner again = LogSigningKey.readOrCreate(file, "refinery.local/log");
        assertEquals(first.verifier(), again.verifier());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        // openssl reads it too
        run("openssl", "pkey", "-in", file.toString(), "-noout");
    }

    @Test
    void aFileThatIsNoEd25519KeySaysSo() throws Exception {
        Path rsa = dir.resolve("rsa.pem");
        run("openssl", "genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogSigningKey.read(rsa, "x"));
        assertTrue(e.getMessage().contains("is not an Ed25519 private key"), e.getMessage());
        Path text = Files.writeString(dir.resolve("text.pem"), "hello");
        e = assertThrows(IllegalArgumentException.class, () -> LogSigningKey.read(text, "x"));
        assertTrue(e.getMessage().contains("openssl genpkey -algorithm ed25519"), e.getMessage());
    }
}
