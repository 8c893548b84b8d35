package dev.refinery.application.auth;

import java.util.List;

/** Every issued token, oldest first, revoked and expired ones included: what is kept of them, never a secret. */
@FunctionalInterface
public interface ListTokensUseCase {
    List<StoredToken> list();
}
