package dev.refinery.domain.log;

import java.security.PrivateKey;
import java.util.Objects;

/** A log's signing key: the Ed25519 private key and the verifier that names its public half. */
public record NoteSigner(PrivateKey key, NoteVerifier verifier) {
    public NoteSigner {
        Objects.requireNonNull(key);
        Objects.requireNonNull(verifier);
    }

    /** The signed note of a checkpoint. */
    public String sign(Checkpoint checkpoint) {
        return SignedNote.sign(checkpoint.body(), key, verifier);
    }
}
