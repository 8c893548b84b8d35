package dev.refinery.application.auth;

import java.util.Optional;

/** Who holds this bearer token: empty for a token that was never issued (or is not a token at all). */
@FunctionalInterface
public interface AuthenticateUseCase {
    Optional<Principal> authenticate(String token);
}
