-- Idempotency keys are each author's own, a key stands for one request, and a run's result keeps its key where no
-- client writes (IdempotencyPolicy in the application).
--
-- V1 made refinements.idempotency_key unique over everything: one author's key answered another's request, and a
-- run's result (a 'process' refinement whose key is the run id, which GET /v1/processes lists) could be taken by
-- any client that refined with that id as its key first. Now:
--   * refines and merges: unique per (author_ref, idempotency_key);
--   * runs' results: unique per idempotency_key among 'process' refinements, which only a run writes: one result
--     per run, and no client key meets it;
--   * request_digest: SHA-256 of the request's canonical JSON (RFC 8785) without key and author; a repeat of the
--     key with another digest is refused (422 idempotency-key-reused). Required from now on for a keyed refine or
--     merge (NOT VALID: refinements written before this have none, and a repeat of their key is taken as a retry).
-- Existing rows keep everything: V1's uniqueness implies both new ones.
ALTER TABLE refinements ADD COLUMN request_digest TEXT CHECK (request_digest ~ '^sha256:[0-9a-f]{64}$');

ALTER TABLE refinements DROP CONSTRAINT refinements_idempotency_key_key;
CREATE UNIQUE INDEX refinements_author_key_idx ON refinements (author_ref, idempotency_key) WHERE kind <> 'process';
CREATE UNIQUE INDEX refinements_run_key_idx ON refinements (idempotency_key) WHERE kind = 'process';

ALTER TABLE refinements ADD CONSTRAINT refinements_keyed_request_has_digest
    CHECK (kind = 'process' OR idempotency_key IS NULL OR request_digest IS NOT NULL) NOT VALID;
ALTER TABLE refinements ADD CONSTRAINT refinements_digest_goes_with_a_key
    CHECK (request_digest IS NULL OR idempotency_key IS NOT NULL);

-- A process start's key and digest live in the saga's context ({"author": …, "idempotencyKey": …,
-- "requestDigest": …}); the key is unique per author. Starts were serialized per key, so existing rows satisfy it.
CREATE UNIQUE INDEX saga_instances_idempotency_key_idx
    ON saga_instances ((context ->> 'author'), (context ->> 'idempotencyKey'))
    WHERE (context ->> 'idempotencyKey') IS NOT NULL;
