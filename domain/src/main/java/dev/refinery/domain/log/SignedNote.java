package dev.refinery.domain.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/**
 * A C2SP {@code signed-note}: a text ending in a newline, a blank line, then one line per
 * signature, {@code — NAME BASE64(keyid || signature)}. Only Ed25519 signatures are made here.
 */
public final class SignedNote {
    private static final String DASH = "\u2014 ";

    private SignedNote() {}

    /** Signs {@code text} (it must end in a newline) with {@code key}, the private half of {@code verifier}. */
    public static String sign(String text, PrivateKey key, NoteVerifier verifier) {
        if (text.isEmpty() || !text.endsWith("\n")) throw new IllegalArgumentException("a note's text ends with a newline");
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] sig = signer.sign();
            int id = verifier.keyId();
            byte[] line = new byte[4 + sig.length];
            line[0] = (byte) (id >>> 24);
            line[1] = (byte) (id >>> 16);
            line[2] = (byte) (id >>> 8);
            line[3] = (byte) id;
            System.arraycopy(sig, 0, line, 4, sig.length);
            String note = text + "\n" + DASH + verifier.name() + " " + Base64.getEncoder().encodeToString(line) + "\n";
            if (open(note, verifier).isEmpty()) {
                throw new IllegalArgumentException("the signing key is not the private half of " + verifier);
            }
            return note;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** The note's text when one of its signature lines is {@code verifier}'s valid signature; empty otherwise. */
    public static Optional<String> open(String note, NoteVerifier verifier) {
        if (note == null) return Optional.empty();
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) return Optional.empty();
        String text = note.substring(0, split + 1);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
            if (!line.startsWith(DASH)) return Optional.empty();
            String[] parts = line.substring(DASH.length()).split(" ", -1);
            if (parts.length != 2 || !parts[0].equals(verifier.name())) continue;
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (decoded.length != 4 + 64 || NoteVerifier.bigEndianInt(decoded, 0) != verifier.keyId()) continue;
            byte[] sig = new byte[64];
            System.arraycopy(decoded, 4, sig, 0, 64);
            if (verifier.verifies(message, sig)) return Optional.of(text);
        }
        return Optional.empty();
    }
}
