package dev.refinery.application.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where bearer tokens are kept, by hash only: a store never sees a token itself. A hash is saved once;
 * of what is saved with it, only the revocation ever changes, once. Every instance of the service that
 * shares a store sees a revocation at once: a store keeps no copies.
 */
public interface TokenStore {

    /** What was saved with this hash, revoked and expired tokens included. */
    Optional<StoredToken> find(TokenHash hash);

    /**
     * Saves a new token's hash with what it stands for; {@code token.id()} is {@link TokenId#of} the hash.
     *
     * @throws dev.refinery.application.port.DuplicateWriteException when the hash is saved already
     */
    void save(TokenHash hash, StoredToken token);

    /** Every token, oldest first. */
    List<StoredToken> list();

    /**
     * Marks the token revoked at {@code at}, unless it was revoked before (the first time stays).
     *
     * @return the token as it is now; empty when no token has this id
     */
    Optional<StoredToken> revoke(TokenId id, Instant at);
}
