package dev.refinery.bootstrap;

import dev.refinery.domain.log.NoteSigner;
import dev.refinery.domain.log.NoteVerifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The log's Ed25519 signing key: a PEM PKCS#8 file as {@code openssl genpkey -algorithm ed25519}
 * writes it, read from {@code refinery.log.signing-key-file}, or generated on first start into the
 * data folder (mode 0600).
 */
final class LogSigningKey {
    static final String DEFAULT_FILE = "log-signing-key.pem";
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private LogSigningKey() {}

    /** The key in {@code file}, which must exist. */
    static NoteSigner read(Path file, String name) {
        try {
            return fromPem(Files.readString(file, StandardCharsets.US_ASCII), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log signing key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the log signing key " + file + " " + e.getMessage(), e);
        }
    }

    /** The key in {@code file}, generated there first when it does not exist. */
    static NoteSigner readOrCreate(Path file, String name) {
        if (!Files.exists(file)) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                String pem = BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[]{'\n'})
                        .encodeToString(pair.getPrivate().getEncoded()) + "\n" + END + "\n";
                Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".log-signing-key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the log signing key " + file, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has Ed25519", e);
            }
        }
        return read(file, name);
    }

    static NoteSigner fromPem(String pem, String name) {
        String text = pem.strip();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new IllegalArgumentException("is not a PEM 'PRIVATE KEY' (PKCS#8): make one with "
                    + "'openssl genpkey -algorithm ed25519 -out FILE'");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("holds no valid base64", e);
        }
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            byte[] seed = ((EdECPrivateKey) key).getBytes()
                    .orElseThrow(() -> new IllegalArgumentException("holds no Ed25519 private key bytes"));
            return new NoteSigner(key, NoteVerifier.of(name, publicKeyOf(seed)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("is not an Ed25519 private key (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The public half of an Ed25519 seed. The JDK has no call for it, but its key pair generator takes the
     * private key as the generator's random bytes (RFC 8032 §5.1.5), so a random that answers the seed gives the pair.
     */
    static java.security.PublicKey publicKeyOf(byte[] seed) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != seed.length) throw new IllegalStateException("an Ed25519 seed has 32 bytes");
                System.arraycopy(seed, 0, bytes, 0, seed.length);
            }
        });
        return generator.generateKeyPair().getPublic();
    }
}
