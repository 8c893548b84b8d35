package dev.refinery.application.contract;

import dev.refinery.application.auth.AuthenticateUseCase;
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

import java.time.Instant;
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

    @Test
    void aSavedHashFindsItsPrincipal() {
        // given
        TokenHash hash = TokenHash.of("rfy_some-token");
        Principal principal = new Principal(ROOT, Set.of(Scope.READ, Scope.WRITE));

        // when
        store.save(hash, principal, "ci", Instant.parse("2026-01-01T00:00:00Z"));

        // then
        assertEquals(Optional.of(principal), store.find(hash));
    }

    @Test
    void anUnknownHashFindsNothing() {
        assertEquals(Optional.empty(), store.find(TokenHash.of("rfy_never-saved")));
    }

    @Test
    void aHashIsSavedOnlyOnce() {
        // given
        TokenHash hash = TokenHash.of("rfy_twice");
        store.save(hash, new Principal(ROOT, Set.of(Scope.READ)), "first", Instant.now());

        // when / then
        assertThrows(DuplicateWriteException.class,
                () -> store.save(hash, new Principal(ROOT, Set.of(Scope.ADMIN)), "second", Instant.now()));
        assertEquals(Set.of(Scope.READ), store.find(hash).orElseThrow().scopes());
    }

    @Test
    void everyScopeSurvivesTheRoundTrip() {
        // given
        TokenHash hash = TokenHash.of("rfy_all-scopes");

        // when
        store.save(hash, new Principal(ROOT, Set.of(Scope.READ, Scope.WRITE, Scope.ADMIN)), "", Instant.now());

        // then
        assertEquals(Set.of(Scope.READ, Scope.WRITE, Scope.ADMIN), store.find(hash).orElseThrow().scopes());
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
}
