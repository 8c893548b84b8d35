package dev.refinery.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills the ledger through the database, for sizes HTTP would take hours to write: vibes
 * {@code PREFIX/N} (revision 1 on main, one refinement each) whose stamped schema references the schema
 * an SQL expression of {@code g} names, with their visibility rows and {@code vibe_refs} edges written
 * directly (triggers off for the load, as for any bulk load), then VACUUM (ANALYZE).
 */
final class BulkLoad {
    private BulkLoad() {}

    /**
     * Adds vibes {@code prefix/from} … {@code prefix/to}.
     *
     * @param referenced an SQL expression of {@code g} giving the canonical ref each one's schema references
     */
    static void load(BenchDatabase db, String prefix, long from, long to, String referenced) {
        long chunk = 100_000;
        for (long start = from; start <= to; start += chunk) {
            long end = Math.min(to, start + chunk - 1);
            loadChunk(db, prefix, start, end, referenced);
        }
        // What autovacuum does to an insert-only table soon after such a load (PostgreSQL 13+), done now so that
        // no measurement runs before it and another after: statistics, hint bits, and the visibility map that
        // index-only scans need.
        db.execute("VACUUM (ANALYZE)");
    }

    private static void loadChunk(BenchDatabase db, String prefix, long from, long to, String referenced) {
        String g = "g";
        try (Connection c = db.admin()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");  // no triggers, no FK checks: a bulk load
                long base;
                try (var rs = s.executeQuery("SELECT nextval('refinement_id_seq')")) {
                    rs.next();
                    base = rs.getLong(1);
                }
                s.execute("SELECT setval('refinement_id_seq', " + (base + (to - from) + 1) + ")");
                String rid = "(" + base + " + " + g + " - " + from + ")";
                String id = "('" + prefix + "/' || " + g + ")";
                String ref = "('main@' || " + id + " || '?1')";
                String series = " FROM generate_series(" + from + ", " + to + ") " + g;
                s.execute("INSERT INTO refinements (id, branch, author_ref, kind, output_refs, message, created_at) SELECT "
                        + rid + ", 'main', 'main@roles/root?1', 'refine', ARRAY[" + ref + "], 'bulk', now()" + series);
                s.execute("""
                        INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, prototype_ref, refinement_id,
                                           context, schema, solution, schema_refs, digest, created_at)
                        SELECT %s, %s, 'main', 1, 'RECORD', ARRAY['main'], 'main@roles/root?1', NULL, %s, '{}',
                               jsonb_build_object('type', 'object', 'required', jsonb_build_array('address'), 'properties',
                                   jsonb_build_object('address', jsonb_build_object(
                                       '$ref', 'aug:/' || split_part(split_part(%s, '@', 2), '?', 1), '$refResolved', %s))),
                               jsonb_build_object('address', jsonb_build_object('city', 'c' || g)),
                               ARRAY[%s], 'sha256:' || encode(sha256(convert_to(%s, 'UTF8')), 'hex'), now()
                        %s""".formatted(ref, id, rid, referenced, referenced, referenced, id, series));
                s.execute("INSERT INTO vibe_visibility (ref, branch, refinement_id, visible_at, id, revision) SELECT "
                        + ref + ", 'main', " + rid + ", now(), " + id + ", 1" + series);
                s.execute("""
                        INSERT INTO vibe_refs (from_ref, to_ref, type, branch, from_id, from_revision, to_id, to_revision, pinned)
                        SELECT %s, %s, 'schema', 'main', %s, 1, split_part(split_part(%s, '@', 2), '?', 1),
                               split_part(%s, '?', 2)::INTEGER, false
                        %s""".formatted(ref, referenced, id, referenced, referenced, series));
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("bulk load failed: " + e.getMessage(), e);
        }
    }

    /** Runs a query {@code n} times and answers its latencies (the admin connection, no HTTP). */
    static Latencies time(BenchDatabase db, String sql, int n) {
        Latencies l = new Latencies();
        try (Connection c = db.admin(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                try (var rs = p.executeQuery()) {
                    while (rs.next()) {
                        // read every row, as a client of the answer would
                    }
                }
                l.add(System.nanoTime() - t0);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return l;
    }
}
