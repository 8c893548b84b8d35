-- A branch holds at most one visibility entry per (id, revision): its own write of the revision, or one
-- brought by a merge, never both. Writers of an id serialise on its lock and merges hold their target's
-- branch lock exclusively; this makes the database refuse the second entry should a writer ever race
-- past them (a unique violation, which the services retry as a lost race on a key). The heads index
-- becomes the unique one, under the same name, so a write maintains no more indexes than before.
--
-- On a fresh install the table holds only the genesis row, and the index build records that size in its
-- statistics (one page, one row), which the planner believes until autovacuum's first ANALYZE, within a
-- minute: plans cached meanwhile (foreign-key checks, triggers) read the table sequentially, which a
-- heavy write load in that minute feels (refines 4-5× slower in the benchmarks); the benchmarks ANALYZE
-- before they measure.
CREATE UNIQUE INDEX vibe_visibility_head_key ON vibe_visibility (branch, id, revision DESC)
    INCLUDE (refinement_id, visible_at, ref);
DROP INDEX vibe_visibility_head_idx;
ALTER INDEX vibe_visibility_head_key RENAME TO vibe_visibility_head_idx;
