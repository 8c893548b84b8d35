package dev.refinery.application.auth;

import java.util.Optional;

/**
 * Revokes a token: from then on it authenticates nowhere, on every instance that shares the store.
 * Revoking a revoked token changes nothing.
 */
@FunctionalInterface
public interface RevokeTokenUseCase {
    /** The token as it is now; empty when no token has this id. */
    Optional<StoredToken> revoke(TokenId id);
}
