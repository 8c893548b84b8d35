-- Listing the heads of a kind (GET /v1/vibes?kind=PROCESS) walks the ids that have a vibe of that kind,
-- in order, and checks each one's head on the branch (PostgresLedgerTransaction.heads), instead of
-- computing every head of the branch to filter them. RECORD, the kind of most vibes, is not indexed
-- (its listing walks the branch's ids, most of them records): writes of records maintain no more
-- indexes than before; processes, capabilities and roles are few.
CREATE INDEX vibes_kind_idx ON vibes (kind, id) WHERE kind <> 'RECORD';
