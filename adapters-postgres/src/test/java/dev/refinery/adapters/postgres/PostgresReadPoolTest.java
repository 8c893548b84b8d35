package dev.refinery.adapters.postgres;

import dev.refinery.application.port.VibeLedger;
import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads run in one read-only snapshot, whether they set their transaction up themselves (one pool) or run on a pool
 * of read-only REPEATABLE READ connections ({@link PostgresVibeLedger#withReadPool}), which spares them that round trip.
 */
class PostgresReadPoolTest {
    private static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);
    private static TestDatabase db;
    private static DbClient writes;
    private static DbClient reads;
    private static DbClient plain;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        writes = db.application().withPoolSize(2).createDbClient();
        reads = db.application().withPoolSize(2).createReadOnlyDbClient();
        plain = db.application().withPoolSize(2).createDbClient();
    }

    @AfterAll
    static void drop() {
        for (DbClient client : List.of(writes, reads, plain)) client.close();
        db.close();
    }

    private static VibeLedger ledger(boolean readPool) {
        return readPool ? PostgresVibeLedger.withReadPool(writes, reads) : new PostgresVibeLedger(plain);
    }

    private static Branch branch(String name) {
        return new Branch(BranchName.parse(name), Optional.of(BranchName.MAIN), 0,
                Instant.now().truncatedTo(ChronoUnit.MICROS), ROOT);
    }

    @ParameterizedTest(name = "read pool: {0}")
    @ValueSource(booleans = {false, true})
    void aReadSeesOneSnapshotWhateverCommitsMeanwhile(boolean readPool) {
        VibeLedger ledger = ledger(readPool);
        String name = "snapshot-" + readPool;
        List<Integer> seen = ledger.read(tx -> {
            int before = tx.branches().size();
            // another transaction adds a branch and commits while this read is open
            boolean inserted = ledger.inTransaction(w -> w.insertBranch(branch(name)));
            assertTrue(inserted);
            return List.of(before, tx.branches().size(), tx.branch(BranchName.parse(name)).isPresent() ? 1 : 0);
        });
        assertEquals(seen.get(0), seen.get(1), "the second statement of the read saw the other transaction's commit");
        assertEquals(0, seen.get(2));
        assertTrue(ledger.read(tx -> tx.branch(BranchName.parse(name))).isPresent(), "a later read sees it");
    }

    @ParameterizedTest(name = "read pool: {0}")
    @ValueSource(booleans = {false, true})
    void aReadCannotWrite(boolean readPool) {
        VibeLedger ledger = ledger(readPool);
        String name = "written-by-a-read-" + readPool;
        assertThrows(RuntimeException.class, () -> ledger.read(tx -> tx.insertBranch(branch(name))));
        assertTrue(ledger.read(tx -> tx.branch(BranchName.parse(name))).isEmpty());
    }

    @Test
    void aPoolOfOrdinaryConnectionsIsRefusedAsTheReadPool() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresVibeLedger.withReadPool(writes, plain));
        assertTrue(e.getMessage().contains("read committed, off"), e.getMessage());
    }
}
