package dev.refinery.adapters.postgres;

import dev.refinery.domain.BranchName;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reaching the database: HA URLs, secrets from files, the genesis the migration writes. */
class PostgresConnectionTest {
    private static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void aMultiHostUrlWithTargetServerTypePrimarySkipsAHostThatIsDown() {
        PostgresLedgerConfig app = db.application();
        // the first host refuses connections; the driver moves on to the primary
        String multiHost = app.url().replaceFirst("jdbc:postgresql://", "jdbc:postgresql://127.0.0.1:1,")
                + (app.url().contains("?") ? "&" : "?") + "targetServerType=primary";
        try (PostgresVibeLedger ledger = PostgresVibeLedger.create(new PostgresLedgerConfig(multiHost, app.username(),
                app.password(), 2, PostgresLedgerConfig.DEFAULT_CONNECTION_TIMEOUT))) {
            assertTrue(ledger.read(tx -> tx.vibe(ROOT)).isPresent());
        }
    }

    @Test
    void thePasswordComesFromAFileAndIsNeverShown(@TempDir Path dir) throws IOException {
        PostgresLedgerConfig app = db.application();
        String secret = app.password().orElseThrow();
        Path file = dir.resolve("db-password");
        Files.writeString(file, secret + "\n");

        PostgresLedgerConfig fromFile = PostgresLedgerConfig.fromEnvironment(Map.of(
                "REFINERY_DB_URL", app.url(), "REFINERY_DB_USER", app.username(),
                "REFINERY_DB_PASSWORD_FILE", file.toString()), "REFINERY_DB").orElseThrow();

        assertEquals(Optional.of(secret), fromFile.password());
        assertFalse(fromFile.toString().contains(secret));
        try (PostgresVibeLedger ledger = PostgresVibeLedger.create(fromFile)) {
            assertTrue(ledger.read(tx -> tx.vibe(ROOT)).isPresent());
        }
    }

    @Test
    void theMigrationWritesMainAndTheRootRoleWithItsTrueDigest() {
        try (PostgresVibeLedger ledger = PostgresVibeLedger.create(db.application())) {
            Vibe root = ledger.read(tx -> tx.vibe(ROOT)).orElseThrow();
            assertEquals(Kind.ROLE, root.kind());
            assertEquals(ROOT, root.authorRef());
            assertEquals(List.of(BranchName.MAIN), root.branches());
            assertEquals(ContentDigest.of(root.kind(), root.id(), root.context(), root.schema(), root.solution(),
                    root.prototypeRef()), root.digest());
            assertEquals(1, root.refinementId());
            assertEquals("genesis", ledger.read(tx -> tx.refinement(1)).orElseThrow().message());
            assertEquals(0, ledger.read(tx -> tx.branch(BranchName.MAIN)).orElseThrow().forkRefinementId());
        }
    }

    @Test
    void migratingAgainChangesNothing() {
        assertEquals(0, new PostgresMigrations(db.owner()).migrate());
    }
}
