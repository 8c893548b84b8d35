package dev.refinery.application.auth;

import java.time.Instant;
import java.util.Optional;

/** What is kept of an issued token (never the token): whom it stands for, what it is for, and how long it lives. */
public record StoredToken(TokenId id, Principal principal, String label, Instant createdAt, Optional<Instant> expiresAt,
                          Optional<Instant> revokedAt) {
    public StoredToken {
        if (id == null || principal == null || label == null || createdAt == null || expiresAt == null
                || revokedAt == null) {
            throw new IllegalArgumentException("absent fields are empty, not null");
        }
        if (expiresAt.filter(e -> !e.isAfter(createdAt)).isPresent()) {
            throw new IllegalArgumentException("a token expires after it is issued");
        }
    }

    /** Whether the token lets its holder in at {@code now}: not revoked, and not expired. */
    public boolean isLiveAt(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }
}
