package dev.refinery.adapters.postgres;

import dev.refinery.application.auth.IssueTokenUseCase.IssueOutcome;
import dev.refinery.application.auth.IssueTokenUseCase.IssueToken;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.TokenService;
import dev.refinery.application.auth.TokenStore;
import dev.refinery.application.contract.TokenStoreContract;
import dev.refinery.application.port.VibeLedger;
import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresTokenStoreTest extends TokenStoreContract {
    private TestDatabase database;
    private DbClient client;

    @Override
    protected VibeLedger newLedger(Clock clock) {
        database = TestDatabase.create();
        client = database.application().withPoolSize(4).createDbClient();
        return new PostgresVibeLedger(client);
    }

    @Override
    protected TokenStore newTokenStore() {
        return new PostgresTokenStore(client);
    }

    @AfterEach
    void dropDatabase() {
        client.close();
        database.close();
    }

    @Test
    void aRevocationOnOneInstanceCountsAtOnceOnAnother() {
        // given two instances on one database, each with its own pool, and a token both accept
        try (DbClient other = database.application().withPoolSize(2).createDbClient()) {
            TokenService second = new TokenService(new PostgresTokenStore(other), new PostgresVibeLedger(other), clock);
            IssueOutcome.Issued issued = (IssueOutcome.Issued) tokens.issue(new IssueToken(ROOT, Set.of(Scope.ADMIN), "x"));
            assertTrue(second.authenticate(issued.token()).isPresent());
            assertTrue(tokens.authenticate(issued.token()).isPresent());

            // when the first revokes it
            tokens.revoke(issued.stored().id());

            // then the second refuses it on its next request
            assertEquals(Optional.empty(), second.authenticate(issued.token()));
        }
    }

    @Test
    void theServiceRoleMayRevokeButChangeNothingElseOfAToken() throws SQLException {
        // given
        IssueOutcome.Issued issued = (IssueOutcome.Issued) tokens.issue(new IssueToken(ROOT, Set.of(Scope.READ), "x"));
        String id = issued.stored().id().value();

        try (Connection app = TestDatabase.connect(database.application()); Statement s = app.createStatement();
             Connection owner = TestDatabase.connect(database.owner()); Statement o = owner.createStatement()) {
            // then the service's role cannot widen a token or delete one
            assertThrows(SQLException.class, () -> s.execute("UPDATE api_tokens SET scopes = '{admin}' WHERE id = '" + id + "'"));
            assertThrows(SQLException.class, () -> s.execute("DELETE FROM api_tokens WHERE id = '" + id + "'"));
            // it revokes, and not even the owner takes a revocation back or changes a token
            // (the contract's clock runs a second ahead of the server's: a revocation is never before the issue)
            s.execute("UPDATE api_tokens SET revoked_at = greatest(now(), created_at) WHERE id = '" + id + "'");
            assertThrows(SQLException.class, () -> o.execute("UPDATE api_tokens SET revoked_at = NULL WHERE id = '" + id + "'"));
            assertThrows(SQLException.class, () -> o.execute("UPDATE api_tokens SET revoked_at = now() + interval '1 day'"
                    + " WHERE id = '" + id + "'"));
        }
        assertEquals(Optional.empty(), tokens.authenticate(issued.token()));
    }
}
