package dev.refinery.application.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Where bearer tokens are kept, by hash only: a store never sees a token itself. A hash is saved once
 * and never changes.
 */
public interface TokenStore {

    /** The principal of the token with this hash, if one was saved. */
    Optional<Principal> find(TokenHash hash);

    /**
     * Saves a new token's hash with the principal it stands for, a label for people (what it is for)
     * and when it was issued.
     *
     * @throws dev.refinery.application.port.DuplicateWriteException when the hash is saved already
     */
    void save(TokenHash hash, Principal principal, String label, Instant createdAt);
}
