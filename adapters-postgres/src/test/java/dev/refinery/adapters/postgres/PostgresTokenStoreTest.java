package dev.refinery.adapters.postgres;

import dev.refinery.application.auth.TokenStore;
import dev.refinery.application.contract.TokenStoreContract;
import dev.refinery.application.port.VibeLedger;
import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.AfterEach;

import java.time.Clock;

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
}
