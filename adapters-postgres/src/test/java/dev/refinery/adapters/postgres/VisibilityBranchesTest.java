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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A vibe's {@code branches} grow with its visibility rows, once per INSERT statement since V12 (a statement-level
 * trigger over the statement's new rows): what one statement adds for many vibes, or for one vibe on several
 * branches, lands once each, after what was there; and two statements that make overlapping sets visible on two
 * branches at once wait for each other without deadlocking, whatever order each lists them in.
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

    @Test
    void fastForwardsOfOverlappingVibesOntoTwoBranchesAtOnceDoNotDeadlock() throws Exception {
        int vibes = 400;
        db.execute("""
                INSERT INTO refinements (id, branch, author_ref, kind, target_refs, instruction_refs, budget_refs,
                                         output_refs, message, created_at)
                SELECT 1000 + i, 'main', 'main@roles/root?1', 'refine', '{}', '{}', '{}',
                       ARRAY['main@bulk/' || i || '?1'], 'bulk', now()
                FROM generate_series(1, %1$d) i""".formatted(vibes), """
                INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, prototype_ref, refinement_id,
                                   context, schema, solution, schema_refs, digest, created_at)
                SELECT 'main@bulk/' || i || '?1', 'bulk/' || i, 'main', 1, 'RECORD', '{}', 'main@roles/root?1', NULL,
                       1000 + i, '{}', '{}', '{}', NULL,
                       'sha256:' || encode(sha256(convert_to('bulk/' || i, 'UTF8')), 'hex'), now()
                FROM generate_series(1, %1$d) i""".formatted(vibes));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String up = "p" + round;
                String down = "q" + round;
                db.execute("INSERT INTO branches (name, base, fork_refinement_id, created_at, created_by) VALUES "
                                + "('" + up + "', 'main', 103, now(), 'main@roles/root?1'), "
                                + "('" + down + "', 'main', 103, now(), 'main@roles/root?1')",
                        "INSERT INTO refinements (id, branch, author_ref, kind, target_refs, instruction_refs, "
                                + "budget_refs, output_refs, message, created_at) VALUES "
                                + "(" + (300 + 2 * round) + ", '" + up + "', 'main@roles/root?1', 'merge', '{}', '{}', "
                                + "'{}', '{}', 'ff', now()), "
                                + "(" + (301 + 2 * round) + ", '" + down + "', 'main@roles/root?1', 'merge', '{}', "
                                + "'{}', '{}', '{}', 'ff', now())");
                CyclicBarrier together = new CyclicBarrier(2);
                int upRefinement = 300 + 2 * round;
                int downRefinement = 301 + 2 * round;
                // one lists the vibes up, the other down: row by row, each would lock them in its own order
                Future<?> first = pool.submit(() -> fastForward(together, up, upRefinement, "i", vibes));
                Future<?> second = pool.submit(() -> fastForward(together, down, downRefinement, "%d + 1 - i"
                        .formatted(vibes), vibes));
                first.get(60, TimeUnit.SECONDS);
                second.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = TestDatabase.connect(db.owner()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM vibes WHERE id LIKE 'bulk/%' AND cardinality(branches) = 11")) {
            r.next();
            assertEquals(vibes, r.getInt(1), "every vibe on main and the ten branches");
        }
    }

    /** One transaction: makes bulk/1..n visible on {@code branch}, listed in {@code order}, after the barrier. */
    private Void fastForward(CyclicBarrier together, String branch, int refinement, String order, int n)
            throws Exception {
        try (Connection c = TestDatabase.connect(db.owner()); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            together.await(30, TimeUnit.SECONDS);
            s.execute("INSERT INTO vibe_visibility (ref, branch, refinement_id, visible_at) "
                    + "SELECT 'main@bulk/' || (" + order + ") || '?1', '" + branch + "', " + refinement + ", now() "
                    + "FROM generate_series(1, " + n + ") i ORDER BY i");
            c.commit();
        }
        return null;
    }
}
