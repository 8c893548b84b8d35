package dev.refinery.application.contract;

import dev.refinery.application.auth.AuthenticateUseCase;
import dev.refinery.application.auth.BranchPattern;
import dev.refinery.application.auth.StoredToken;
import dev.refinery.application.auth.TokenId;
import dev.refinery.application.auth.IssueTokenUseCase.IssueOutcome;
import dev.refinery.application.auth.IssueTokenUseCase.IssueToken;
import dev.refinery.application.auth.Principal;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.TokenHash;
import dev.refinery.application.auth.TokenService;
import dev.refinery.application.auth.TokenStore;
import dev.refinery.application.port.DuplicateWriteException;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link TokenStore} port, and the token service over it: each adapter subclasses this with
 * {@link #newTokenStore()} (and {@link #newLedger}, for the roles the tokens act as).
 */
public abstract class TokenStoreContract extends LedgerFixture {
    protected TokenStore store;
    protected TokenService tokens;

    /** A fresh, empty token store. */
    protected abstract TokenStore newTokenStore();

    @BeforeEach
    void wireTokens() {
        store = newTokenStore();
        tokens = new TokenService(store, ledger, clock);
    }

    // ---- the port ----------------------------------------------------------------------------

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    private static StoredToken stored(TokenHash hash, Principal principal, String label) {
        return new StoredToken(TokenId.of(hash), principal, label, ISSUED, Optional.empty(), Optional.empty());
    }

    @Test
    void aSavedHashFindsWhatWasSavedWithIt() {
        // given
        TokenHash hash = TokenHash.of("rfy_some-token");
        StoredToken token = new StoredToken(TokenId.of(hash), new Principal(ROOT, Set.of(Scope.READ, Scope.WRITE),
                List.of(BranchPattern.parse("feature/*"), BranchPattern.parse("fix/*"))), "ci", ISSUED,
                Optional.of(ISSUED.plus(Duration.ofDays(30))), Optional.empty());

        // when
        store.save(hash, token);

        // then
        assertEquals(Optional.of(token), store.find(hash));
    }

    @Test
    void anUnknownHashFindsNothing() {
        assertEquals(Optional.empty(), store.find(TokenHash.of("rfy_never-saved")));
    }

    @Test
    void aHashIsSavedOnlyOnce() {
        // given
        TokenHash hash = TokenHash.of("rfy_twice");
        store.save(hash, stored(hash, new Principal(ROOT, Set.of(Scope.READ)), "first"));

        // when / then
        assertThrows(DuplicateWriteException.class,
                () -> store.save(hash, stored(hash, new Principal(ROOT, Set.of(Scope.ADMIN)), "second")));
        assertEquals(Set.of(Scope.READ), store.find(hash).orElseThrow().principal().scopes());
    }

    @Test
    void everyScopeSurvivesTheRoundTrip() {
        // given
        TokenHash hash = TokenHash.of("rfy_all-scopes");

        // when
        store.save(hash, stored(hash, new Principal(ROOT, Set.of(Scope.READ, Scope.WRITE, Scope.ADMIN)), ""));

        // then
        assertEquals(Set.of(Scope.READ, Scope.WRITE, Scope.ADMIN), store.find(hash).orElseThrow().principal().scopes());
        assertEquals(List.of(BranchPattern.ANY), store.find(hash).orElseThrow().principal().branches());
    }

    @Test
    void aRevocationIsKeptOnceAndAnUnknownIdRevokesNothing() {
        // given
        TokenHash hash = TokenHash.of("rfy_revoked");
        store.save(hash, stored(hash, new Principal(ROOT, Set.of(Scope.READ)), "r"));
        Instant first = ISSUED.plusSeconds(60);

        // when
        Optional<StoredToken> revoked = store.revoke(TokenId.of(hash), first);
        Optional<StoredToken> again = store.revoke(TokenId.of(hash), first.plusSeconds(60));

        // then
        assertEquals(Optional.of(first), revoked.orElseThrow().revokedAt());
        assertEquals(Optional.of(first), again.orElseThrow().revokedAt());
        assertEquals(Optional.of(first), store.find(hash).orElseThrow().revokedAt());
        assertEquals(Optional.empty(), store.revoke(TokenId.of(TokenHash.of("rfy_never-saved")), first));
    }

    @Test
    void theListHoldsEveryTokenOldestFirst() {
        // given
        TokenHash a = TokenHash.of("rfy_a");
        TokenHash b = TokenHash.of("rfy_b");
        store.save(b, new StoredToken(TokenId.of(b), new Principal(ROOT, Set.of(Scope.READ)), "b", ISSUED.plusSeconds(1),
                Optional.empty(), Optional.empty()));
        store.save(a, stored(a, new Principal(ROOT, Set.of(Scope.READ)), "a"));
        store.revoke(TokenId.of(a), ISSUED.plusSeconds(5));

        // then
        List<StoredToken> all = store.list();
        assertEquals(List.of(TokenId.of(a), TokenId.of(b)), all.stream().map(StoredToken::id).toList());
        assertTrue(all.get(0).revokedAt().isPresent());
    }

    // ---- the service over it -----------------------------------------------------------------

    @Test
    void anIssuedTokenAuthenticatesAsItsRoleWithItsScopes() {
        // when
        IssueOutcome.Issued issued = assertInstanceOf(IssueOutcome.Issued.class,
                tokens.issue(new IssueToken(ROOT, Set.of(Scope.READ), "reader")));

        // then
        AuthenticateUseCase authenticate = tokens;
        Principal principal = authenticate.authenticate(issued.token()).orElseThrow();
        assertEquals(ROOT, principal.role());
        assertTrue(principal.may(Scope.READ));
        assertFalse(principal.may(Scope.WRITE));
    }

    @Test
    void aTokenIsRfyAnd256RandomBitsInBase64Url() {
        // when
        String first = ((IssueOutcome.Issued) tokens.issue(new IssueToken(ROOT, Set.of(Scope.READ), "a"))).token();
        String second = ((IssueOutcome.Issued) tokens.issue(new IssueToken(ROOT, Set.of(Scope.READ), "b"))).token();

        // then
        assertTrue(first.matches("rfy_[A-Za-z0-9_-]{43}"), first);
        assertNotEquals(first, second);
    }

    @Test
    void theStoreHoldsTheHashNotTheToken() {
        // given
        String token = ((IssueOutcome.Issued) tokens.issue(new IssueToken(ROOT, Set.of(Scope.WRITE), "w"))).token();

        // then
        assertTrue(store.find(TokenHash.of(token)).isPresent());
        assertTrue(tokens.authenticate(token + "x").isEmpty());
        assertTrue(tokens.authenticate("not-a-token").isEmpty());
        assertTrue(tokens.authenticate("").isEmpty());
    }

    @Test
    void anExpiredTokenDoesNotAuthenticate() {
        // given a token that lives a day
        SettableClock time = new SettableClock(Instant.parse("2026-03-01T00:00:00Z"));
        TokenService timed = new TokenService(store, ledger, time);
        String token = ((IssueOutcome.Issued) timed.issue(new IssueToken(ROOT, Set.of(Scope.READ), "day",
                List.of(), Optional.of(Duration.ofDays(1))))).token();

        // then it lets its holder in for that day, and not a moment longer
        time.set(Instant.parse("2026-03-01T23:59:59Z"));
        assertTrue(timed.authenticate(token).isPresent());
        time.set(Instant.parse("2026-03-02T00:00:00Z"));
        assertEquals(Optional.empty(), timed.authenticate(token));
    }

    @Test
    void aRevokedTokenDoesNotAuthenticate() {
        // given
        IssueOutcome.Issued issued = (IssueOutcome.Issued) tokens.issue(new IssueToken(ROOT, Set.of(Scope.ADMIN), "gone"));
        assertTrue(tokens.authenticate(issued.token()).isPresent());

        // when
        Optional<StoredToken> revoked = tokens.revoke(issued.stored().id());

        // then
        assertTrue(revoked.orElseThrow().revokedAt().isPresent());
        assertEquals(Optional.empty(), tokens.authenticate(issued.token()));
    }

    @Test
    void theListShowsWhatATokenIsButNeverTheToken() {
        // given
        IssueOutcome.Issued issued = (IssueOutcome.Issued) tokens.issue(new IssueToken(ROOT, Set.of(Scope.WRITE),
                "feature work", List.of(BranchPattern.parse("feature/*")), Optional.of(Duration.ofDays(30))));

        // when
        List<StoredToken> listed = tokens.list();

        // then
        assertEquals(List.of(issued.stored()), listed);
        assertEquals(TokenId.of(TokenHash.of(issued.token())), listed.getFirst().id());
        assertEquals(List.of(BranchPattern.parse("feature/*")), listed.getFirst().principal().branches());
        assertFalse(listed.toString().contains(issued.token().substring(TokenService.PREFIX.length())));
    }

    @Test
    void aTokenLimitedToBranchesAuthenticatesWithThem() {
        // given
        String token = ((IssueOutcome.Issued) tokens.issue(new IssueToken(ROOT, Set.of(Scope.WRITE), "",
                List.of(BranchPattern.parse("feature/*")), Optional.empty()))).token();

        // then
        assertEquals(List.of(BranchPattern.parse("feature/*")), tokens.authenticate(token).orElseThrow().branches());
    }

    @Test
    void aTokenForAMissingRoleIsRefused() {
        // given
        VibeRef nobody = VibeRef.of("main", "roles/nobody", 1);

        // when
        IssueOutcome outcome = tokens.issue(new IssueToken(nobody, Set.of(Scope.READ), ""));

        // then
        assertEquals(new IssueOutcome.RoleNotFound(nobody), outcome);
    }

    @Test
    void aTokenForAVibeThatIsNotARoleIsRefused() {
        // given
        VibeRef record = write("records/x", "{}", "{}").ref();

        // when
        IssueOutcome outcome = tokens.issue(new IssueToken(record, Set.of(Scope.READ), ""));

        // then
        assertEquals(new IssueOutcome.NotARole(record, Kind.RECORD), outcome);
    }

    @Test
    void adminCoversEveryScope() {
        Principal admin = new Principal(ROOT, Set.of(Scope.ADMIN));
        for (Scope s : Scope.values()) assertTrue(admin.may(s), s::toString);
    }

    /** A clock that says what it is told. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
