package dev.refinery.adapters.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Seed 003, TR-DB-6: the service's role can append to the ledger and nothing more. */
class PostgresPrivilegesTest {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static String refusal(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect(db.application()); Statement s = c.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> s.execute(sql), sql);
            return refused.getSQLState();
        }
    }

    private static int asApplication(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect(db.application()); Statement s = c.createStatement()) {
            s.execute(sql);
            return s.getUpdateCount();
        }
    }

    @Test
    void theApplicationRoleCannotUpdateOrDeleteAVibe() throws SQLException {
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("UPDATE vibes SET solution = '{}' WHERE ref = 'main@roles/root?1'"));
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("DELETE FROM vibes WHERE ref = 'main@roles/root?1'"));
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("TRUNCATE vibes CASCADE"));
    }

    @Test
    void theRestOfTheLedgerIsAppendOnlyForTheApplicationRole() throws SQLException {
        for (String table : new String[]{"refinements", "branches", "vibe_visibility", "vibe_refs"}) {
            assertEquals(INSUFFICIENT_PRIVILEGE, refusal("DELETE FROM " + table), table);
        }
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("UPDATE refinements SET message = 'rewritten'"));
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("UPDATE branches SET fork_refinement_id = 0"));
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("UPDATE vibe_refs SET pinned = TRUE"));
        // row locks would need UPDATE on branches: the ledger's branch locks are advisory locks instead
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("SELECT name FROM branches WHERE name = 'main' FOR SHARE"));
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("SELECT * FROM flyway_schema_history"));
    }

    @Test
    void branchesOfAVibeMayOnlyGrowEvenWhereTheColumnIsGranted() throws SQLException {
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("UPDATE vibes SET branches = '{}' WHERE ref = 'main@roles/root?1'"));
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("UPDATE vibes SET branches = branches, digest = 'sha256:"
                + "0".repeat(64) + "' WHERE ref = 'main@roles/root?1'"));
    }

    @Test
    void theOwnerCannotRewriteAVibeEither() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> db.execute("UPDATE vibes SET solution = '{}' WHERE ref = 'main@roles/root?1'"));
        assertEquals(INSUFFICIENT_PRIVILEGE, ((SQLException) refused.getCause()).getSQLState());
    }

    @Test
    void sagaInstancesAreReadInsertedAndUpdatedButNotDeleted() throws SQLException {
        assertEquals(1, asApplication("INSERT INTO saga_instances (id, saga_type, current_state, status, context) "
                + "VALUES ('6f1c1c4e-0d6a-4f5e-9a38-3d1f7f0d2b11', 'main@processes/p?1', 'enrich', 'RUNNING', '{\"a\": 1}')"));
        assertEquals(1, asApplication("UPDATE saga_instances SET status = 'COMPLETED', lock_version = lock_version + 1 "
                + "WHERE id = '6f1c1c4e-0d6a-4f5e-9a38-3d1f7f0d2b11' AND lock_version = 0"));
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal("DELETE FROM saga_instances"));
    }
}
