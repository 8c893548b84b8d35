package dev.refinery.application.auth;

import dev.refinery.application.port.VibeLedger;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Vibe;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Tokens are {@code rfy_} and 256 random bits in base64url; only their SHA-256 is stored. */
public final class TokenService implements IssueTokenUseCase, AuthenticateUseCase, ListTokensUseCase, RevokeTokenUseCase {
    public static final String PREFIX = "rfy_";
    private static final int RANDOM_BYTES = 32;
    /** Longer than any token this service issues: such text is refused without hashing it. */
    private static final int MAX_TOKEN_LENGTH = 256;

    private final TokenStore store;
    private final VibeLedger ledger;
    private final Clock clock;
    private final SecureRandom random;

    public TokenService(TokenStore store, VibeLedger ledger, Clock clock, SecureRandom random) {
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
        this.random = random;
    }

    public TokenService(TokenStore store, VibeLedger ledger, Clock clock) {
        this(store, ledger, clock, new SecureRandom());
    }

    @Override
    public IssueOutcome issue(IssueToken command) {
        Optional<Vibe> role = ledger.read(tx -> tx.vibe(command.role()));
        if (role.isEmpty()) return new IssueOutcome.RoleNotFound(command.role());
        if (role.get().kind() != Kind.ROLE) return new IssueOutcome.NotARole(command.role(), role.get().kind());

        byte[] bits = new byte[RANDOM_BYTES];
        random.nextBytes(bits);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        TokenHash hash = TokenHash.of(token);
        Instant now = clock.instant();
        StoredToken stored = new StoredToken(TokenId.of(hash), new Principal(command.role(), command.scopes(),
                command.branches()), command.label(), now, command.expiresIn().map(now::plus), Optional.empty());
        store.save(hash, stored);
        return new IssueOutcome.Issued(token, stored);
    }

    @Override
    public Optional<Principal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > MAX_TOKEN_LENGTH) return Optional.empty();
        // looked up on every call, never cached: a revocation or an expiry counts at once
        Instant now = clock.instant();
        return store.find(TokenHash.of(token)).filter(t -> t.isLiveAt(now)).map(StoredToken::principal);
    }

    @Override
    public List<StoredToken> list() {
        return store.list();
    }

    @Override
    public Optional<StoredToken> revoke(TokenId id) {
        return store.revoke(id, clock.instant());
    }
}
