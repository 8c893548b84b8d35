package dev.refinery.adapters.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A vibe's {@code branches} grow with its visibility rows, once per INSERT statement since V12 (a statement-level
 * trigger over the statement's new rows): what one statement adds for many vibes, or for one vibe on several
 * branches, lands once each, after what was there.
 */
class VisibilityBranchesTest {
    private TestDatabase db;

    @BeforeEach
    void ledgerOfThreeVibes() {
        db = TestDatabase.create();
        db.execute("""
                INSERT INTO refinements (id, branch, author_ref, kind, target_refs, instruction_refs, budget_refs,
                                         output_refs, message, created_at)
                SELECT 100 + i, 'main', 'main@roles/root?1', 'refine', '{}', '{}', '{}',
                       ARRAY['main@v/' || i || '?1'], 'vibe', now()
                FROM generate_series(1, 3) i""", """
                INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, prototype_ref, refinement_id,
                                   context, schema, solution, schema_refs, digest, created_at)
                SELECT 'main@v/' || i || '?1', 'v/' || i, 'main', 1, 'RECORD', '{}', 'main@roles/root?1', NULL,
                       100 + i, '{}', '{}', '{}', NULL, 'sha256:' || encode(sha256(convert_to('v/' || i, 'UTF8')), 'hex'),
                       now()
                FROM generate_series(1, 3) i""", """
                INSERT INTO branches (name, base, fork_refinement_id, created_at, created_by)
                SELECT b, 'main', 103, now(), 'main@roles/root?1' FROM unnest(ARRAY['x', 'y', 'z']) b""", """
                INSERT INTO refinements (id, branch, author_ref, kind, target_refs, instruction_refs, budget_refs,
                                         output_refs, message, created_at)
                VALUES (200, 'x', 'main@roles/root?1', 'merge', '{}', '{}', '{}', '{}', 'ff', now()),
                       (201, 'z', 'main@roles/root?1', 'merge', '{}', '{}', '{}', '{}', 'ff', now())""");
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

    @Test
    void oneStatementMakingAVibeVisibleOnSeveralBranchesAddsEachOnceInNameOrder() throws SQLException {
        db.execute("INSERT INTO vibe_visibility (ref, branch, refinement_id, visible_at) "
                + "VALUES ('main@v/1?1', 'x', 200, now())");
        // z and y in one statement, for a vibe already on main and x
        db.execute("INSERT INTO vibe_visibility (ref, branch, refinement_id, visible_at) "
                + "SELECT 'main@v/1?1', b, 201, now() FROM unnest(ARRAY['z', 'y']) b");

        assertEquals("{main,x,y,z}", branches().get("main@v/1?1"));
        for (String other : List.of("main@v/2?1", "main@v/3?1")) assertEquals("{main}", branches().get(other));
    }
}
