-- The graph's listings are paged in (depth, ref) order with keyset cursors. Two indexes replace V1's
-- single-column ones on vibe_refs, so that a page of the first level is a range read in order and
-- stopped at its limit, never a sort of every edge (PostgresLedgerTransaction.walk and .impact):
--
-- dependents of a ref: (to_ref, from_ref) in order, the schema edge of a (from, to) pair before its
-- prototype edge ('schema' > 'prototype'), pinned included: an index-only scan;
CREATE INDEX vibe_refs_dependents_idx ON vibe_refs (to_ref, from_ref, type DESC) INCLUDE (pinned);
DROP INDEX vibe_refs_to_ref_idx;

-- impact of an id: the schema edges into any of its revisions by from_ref, pinned included: an
-- index-only scan (the dependent's id is read from its ref).
CREATE INDEX vibe_refs_impact_idx ON vibe_refs (to_id, type, from_ref) INCLUDE (pinned);
DROP INDEX vibe_refs_to_id_idx;
