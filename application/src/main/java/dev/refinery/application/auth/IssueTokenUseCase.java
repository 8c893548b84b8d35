package dev.refinery.application.auth;

import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeRef;

import java.util.Set;

/**
 * Issues a bearer token for a ROLE vibe with some scopes. The token is answered once and stored only
 * as its hash: whoever loses it must be issued a new one.
 */
@FunctionalInterface
public interface IssueTokenUseCase {

    IssueOutcome issue(IssueToken command);

    /** Issue a token acting as {@code role}, allowed {@code scopes}; {@code label} says what it is for. */
    record IssueToken(VibeRef role, Set<Scope> scopes, String label) {
        public static final int MAX_LABEL_LENGTH = 200;

        public IssueToken {
            if (role == null || scopes == null || scopes.isEmpty()) {
                throw new IllegalArgumentException("a token needs a role and at least one scope");
            }
            scopes = Set.copyOf(scopes);
            label = label == null ? "" : label;
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("label is longer than " + MAX_LABEL_LENGTH + " characters");
            }
        }
    }

    sealed interface IssueOutcome {
        /** The token, shown this once. */
        record Issued(String token, Principal principal) implements IssueOutcome {
            @Override
            public String toString() {
                return "Issued[token=(hidden), principal=" + principal + "]";
            }
        }

        record RoleNotFound(VibeRef role) implements IssueOutcome {}

        /** The ref names a vibe that is not a ROLE. */
        record NotARole(VibeRef role, Kind kind) implements IssueOutcome {}
    }
}
