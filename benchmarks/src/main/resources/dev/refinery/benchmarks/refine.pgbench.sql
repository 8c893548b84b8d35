-- What one refine of refine-throughput writes, as plain SQL in one transaction: the refinement, the
-- vibe (its stamped schema holding one aug: reference; its visibility row and its vibe_refs edge are
-- added by the same triggers that run under Refinery), with an id unique per transaction.
BEGIN;
SELECT nextval('refinement_id_seq') AS rid \gset
INSERT INTO refinements (id, branch, author_ref, kind, target_refs, instruction_refs, budget_refs, output_refs,
                         message, idempotency_key, created_at)
VALUES (:rid, 'main', 'main@roles/root?1', 'refine', '{}', '{}', '{}',
        ARRAY['main@pgbench/c' || :client_id || '/' || :rid || '?1'], 'pgbench', NULL, now());
INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, prototype_ref, refinement_id,
                   context, schema, solution, schema_refs, digest, created_at)
VALUES ('main@pgbench/c' || :client_id || '/' || :rid || '?1', 'pgbench/c' || :client_id || '/' || :rid, 'main', 1,
        'RECORD', '{}', 'main@roles/root?1', NULL, :rid, '{}'::JSONB,
        '{"type": "object", "required": ["address"], "properties": {"address": {"$ref": "aug:/bench/schemas/address", "$refResolved": "main@bench/schemas/address?1"}}}'::JSONB,
        ('{"address": {"city": "c' || :rid || '"}}')::JSONB, NULL,
        'sha256:' || encode(sha256(convert_to('pgbench/c' || :client_id || '/' || :rid, 'UTF8')), 'hex'), now());
END;
