package dev.refinery.adapters.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A vibe's {@code branches} grow with its visibility rows: what one statement adds for many vibes lands on each. */
class VisibilityBranchesTest {
    private TestDatabase db;

    @BeforeEach
    void ledgerOfThreeVibes() {
        db = TestDatabase.create();
        db.bulkVibes("v", 3, 100);
        db.execute("""
                INSERT INTO branches (name, base, fork_refinement_id, created_at, created_by)
                VALUES ('x', 'main', 103, now(), 'main@roles/root?1')""", """
                INSERT INTO refinements (id, branch, author_ref, kind, target_refs, instruction_refs, budget_refs,
                                         output_refs, message, created_at)
                VALUES (200, 'x', 'main@roles/root?1', 'merge', '{}', '{}', '{}', '{}', 'ff', now())""");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private Map<String, String> branches() throws SQLException {
        Map<String, String> branches = new LinkedHashMap<>();
        try (Connection c = TestDatabase.connect(db.owner()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT ref, branches::TEXT FROM vibes WHERE id LIKE 'v/%' ORDER BY ref")) {
            while (r.next()) branches.put(r.getString(1), r.getString(2));
        }
        return branches;
    }

    @Test
    void aNewVibeIsOnItsOwnBranchAndOneStatementAddsABranchToEveryVibeItMakesVisible() throws SQLException {
        assertEquals(Map.of("main@v/1?1", "{main}", "main@v/2?1", "{main}", "main@v/3?1", "{main}"), branches());

        db.execute("INSERT INTO vibe_visibility (ref, branch, refinement_id, visible_at) "
                + "SELECT 'main@v/' || i || '?1', 'x', 200, now() FROM generate_series(1, 2) i");

        assertEquals(Map.of("main@v/1?1", "{main,x}", "main@v/2?1", "{main,x}", "main@v/3?1", "{main}"), branches());
    }
}
