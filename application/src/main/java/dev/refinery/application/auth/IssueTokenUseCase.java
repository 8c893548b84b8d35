package dev.refinery.application.auth;

import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeRef;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Issues a bearer token for a ROLE vibe with some scopes. The token is answered once and stored only
 * as its hash: whoever loses it must be issued a new one.
 */
@FunctionalInterface
public interface IssueTokenUseCase {

    IssueOutcome issue(IssueToken command);

    /**
     * Issue a token acting as {@code role}, allowed {@code scopes}, writing only {@code branches} (see
     * {@link BranchWritePolicy}), valid for {@code expiresIn} from now (empty: until revoked); {@code label}
     * says what it is for.
     */
    record IssueToken(VibeRef role, Set<Scope> scopes, String label, List<BranchPattern> branches,
                      Optional<Duration> expiresIn) {
        public static final int MAX_LABEL_LENGTH = 200;
        public static final Duration MAX_EXPIRES_IN = Duration.ofDays(3650);

        public IssueToken {
            if (role == null || scopes == null || scopes.isEmpty()) {
                throw new IllegalArgumentException("a token needs a role and at least one scope");
            }
            scopes = Set.copyOf(scopes);
            label = label == null ? "" : label;
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("label is longer than " + MAX_LABEL_LENGTH + " characters");
            }
            if (label.indexOf('\u0000') >= 0) throw new IllegalArgumentException("label may not contain the NUL character");
            branches = branches == null || branches.isEmpty() ? List.of(BranchPattern.ANY) : List.copyOf(branches);
            expiresIn = expiresIn == null ? Optional.empty() : expiresIn;
            expiresIn.ifPresent(d -> {
                if (d.isNegative() || d.isZero() || d.compareTo(MAX_EXPIRES_IN) > 0) {
                    throw new IllegalArgumentException("expires-in must be positive and at most " + MAX_EXPIRES_IN.toDays()
                            + " days, not " + d);
                }
            });
        }

        /** A token for every branch that lives until it is revoked. */
        public IssueToken(VibeRef role, Set<Scope> scopes, String label) {
            this(role, scopes, label, List.of(BranchPattern.ANY), Optional.empty());
        }
    }

    sealed interface IssueOutcome {
        /** The token, shown this once, and what is kept of it. */
        record Issued(String token, StoredToken stored) implements IssueOutcome {
            public Principal principal() {
                return stored.principal();
            }

            @Override
            public String toString() {
                return "Issued[token=(hidden), stored=" + stored + "]";
            }
        }

        record RoleNotFound(VibeRef role) implements IssueOutcome {}

        /** The ref names a vibe that is not a ROLE. */
        record NotARole(VibeRef role, Kind kind) implements IssueOutcome {}
    }
}
