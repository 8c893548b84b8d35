-- The ledger: branches, refinements, vibes, when each revision became visible where, and the
-- dependency graph. Rows are appended, never changed: the only update is vibes.branches growing,
-- kept by a trigger from vibe_visibility. Texts that are compared or ordered (refs, ids, branch
-- names) use the "C" collation, so the database orders them as Java's String.compareTo does.

CREATE TABLE branches (
    name               TEXT COLLATE "C" PRIMARY KEY,
    base               TEXT COLLATE "C",
    fork_refinement_id BIGINT      NOT NULL CHECK (fork_refinement_id >= 0),
    created_at         TIMESTAMPTZ NOT NULL,
    created_by         TEXT COLLATE "C" NOT NULL,
    CHECK ((name = 'main') = (base IS NULL))
);

CREATE SEQUENCE refinement_id_seq AS BIGINT START WITH 2;  -- 1 is the genesis below

CREATE TABLE refinements (
    id               BIGINT PRIMARY KEY CHECK (id > 0),
    branch           TEXT COLLATE "C" NOT NULL,
    author_ref       TEXT COLLATE "C" NOT NULL,
    kind             TEXT        NOT NULL CHECK (kind IN ('refine', 'merge', 'process')),
    target_refs      TEXT[]      NOT NULL DEFAULT '{}',
    instruction_refs TEXT[]      NOT NULL DEFAULT '{}',
    budget_refs      TEXT[]      NOT NULL DEFAULT '{}',
    output_refs      TEXT[]      NOT NULL DEFAULT '{}',
    message          TEXT        NOT NULL,
    idempotency_key  TEXT UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE vibes (
    ref           TEXT COLLATE "C" PRIMARY KEY,
    id            TEXT COLLATE "C" NOT NULL CHECK (length(id) BETWEEN 1 AND 255),
    branch        TEXT COLLATE "C" NOT NULL,
    revision      INTEGER     NOT NULL CHECK (revision > 0),
    kind          TEXT        NOT NULL CHECK (kind IN ('RECORD', 'ROLE', 'PROCESS', 'CAPABILITY')),
    branches      TEXT[] COLLATE "C" NOT NULL,
    author_ref    TEXT COLLATE "C" NOT NULL,
    prototype_ref TEXT COLLATE "C",
    refinement_id BIGINT      NOT NULL,
    context       JSONB       NOT NULL,
    schema        JSONB       NOT NULL,
    solution      JSONB       NOT NULL,
    schema_refs   TEXT[] COLLATE "C" NOT NULL,
    digest        TEXT        NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
    created_at    TIMESTAMPTZ NOT NULL,
    CHECK (ref = branch || '@' || id || '?' || revision),
    UNIQUE (branch, id, revision)
);

-- When each revision became visible on each branch: its own branch when written, the target of a
-- fast-forward merge later. id and revision repeat the vibe's (set by trigger) for the head index.
CREATE TABLE vibe_visibility (
    ref           TEXT COLLATE "C" NOT NULL,
    branch        TEXT COLLATE "C" NOT NULL,
    refinement_id BIGINT      NOT NULL,
    visible_at    TIMESTAMPTZ NOT NULL,
    id            TEXT COLLATE "C" NOT NULL,
    revision      INTEGER     NOT NULL,
    PRIMARY KEY (ref, branch)
);

-- One edge per (from, to, type). pinned: every reference object from -> to named an exact
-- revision ($refOriginal, a $ref with ?N, or only a $refResolved); prototype edges are pinned.
CREATE TABLE vibe_refs (
    from_ref      TEXT COLLATE "C" NOT NULL,
    to_ref        TEXT COLLATE "C" NOT NULL,
    type          TEXT    NOT NULL CHECK (type IN ('schema', 'prototype')),
    branch        TEXT COLLATE "C" NOT NULL,
    from_id       TEXT COLLATE "C" NOT NULL,
    from_revision INTEGER NOT NULL,
    to_id         TEXT COLLATE "C" NOT NULL,
    to_revision   INTEGER NOT NULL,
    pinned        BOOLEAN NOT NULL,
    PRIMARY KEY (from_ref, type, to_ref),
    CHECK (from_ref <> to_ref)
);

-- The genesis rows reference each other (the root role authors itself and the first refinement),
-- so these keys are checked at commit.
ALTER TABLE branches
    ADD FOREIGN KEY (base) REFERENCES branches (name),
    ADD FOREIGN KEY (created_by) REFERENCES vibes (ref) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE refinements
    ADD FOREIGN KEY (branch) REFERENCES branches (name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (author_ref) REFERENCES vibes (ref) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE vibes
    ADD FOREIGN KEY (branch) REFERENCES branches (name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (author_ref) REFERENCES vibes (ref) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (prototype_ref) REFERENCES vibes (ref) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (refinement_id) REFERENCES refinements (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE vibe_visibility
    ADD FOREIGN KEY (ref) REFERENCES vibes (ref) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (branch) REFERENCES branches (name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (refinement_id) REFERENCES refinements (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE vibe_refs
    ADD FOREIGN KEY (from_ref) REFERENCES vibes (ref) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (to_ref) REFERENCES vibes (ref) DEFERRABLE INITIALLY DEFERRED;

CREATE INDEX branches_base_idx ON branches (base);
CREATE INDEX refinements_branch_idx ON refinements (branch, id DESC);
CREATE INDEX refinements_author_idx ON refinements (author_ref, id DESC);
CREATE INDEX vibes_refinement_idx ON vibes (refinement_id);
-- heads and histories: the highest revision of an id among a branch's visibility entries
CREATE INDEX vibe_visibility_head_idx ON vibe_visibility (branch, id, revision DESC)
    INCLUDE (refinement_id, visible_at, ref);
CREATE INDEX vibe_refs_to_ref_idx ON vibe_refs (to_ref);
CREATE INDEX vibe_refs_to_id_idx ON vibe_refs (to_id);

-- ---- the aug references of a stamped schema ------------------------------------------------

-- Whether a JSON value is an aug reference object (docs/schema-resolution.md).
CREATE FUNCTION is_aug_reference(o JSONB)
    RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$
SELECT jsonb_typeof(o) = 'object'
       AND (o ? '$refResolved'
            OR (jsonb_typeof(o -> '$refOriginal') = 'string' AND starts_with(o ->> '$refOriginal', 'aug:'))
            OR (jsonb_typeof(o -> '$ref') = 'string' AND starts_with(o ->> '$ref', 'aug:')))
$$;

-- Whether text is a well-formed aug URI without a revision (AugUri.parse succeeds, isPinned() is false).
CREATE FUNCTION is_floating_aug_uri(uri TEXT)
    RETURNS BOOLEAN
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS
$$
DECLARE
    path    CONSTANT TEXT := '[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*';
    segment CONSTANT TEXT := '[A-Za-z0-9][A-Za-z0-9._-]*';
    parts   TEXT[];
BEGIN
    parts := regexp_match(uri, '^aug:/(' || path || ')$');
    IF parts IS NOT NULL THEN
        RETURN length(parts[1]) <= 255;
    END IF;
    parts := regexp_match(uri, '^aug:~(' || segment || ')/(' || path || ')$');
    IF parts IS NOT NULL THEN
        RETURN length(parts[1]) <= 128 AND length(parts[2]) <= 255;
    END IF;
    parts := regexp_match(uri, '^aug:(' || path || ')@(' || path || ')$');
    RETURN parts IS NOT NULL AND length(parts[1]) <= 128 AND length(parts[2]) <= 255;
END
$$;

-- Every object and array of a schema with its path, in the walk of SchemaTree.forEachObject: the
-- members $ref, $refOriginal and $refResolved of an aug reference are not descended into.
CREATE FUNCTION schema_containers(doc JSONB)
    RETURNS TABLE (path TEXT[], value JSONB)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$
WITH RECURSIVE node(path, value) AS (
    SELECT ARRAY[]::TEXT[], doc
    UNION ALL
    SELECT n.path || child.key, child.value
    FROM node n
    CROSS JOIN LATERAL (
        SELECT e.key, e.value
        FROM jsonb_each(CASE WHEN jsonb_typeof(n.value) = 'object' THEN n.value ELSE '{}'::JSONB END) e
        WHERE NOT (e.key IN ('$ref', '$refOriginal', '$refResolved') AND is_aug_reference(n.value))
        UNION ALL
        SELECT (a.ordinality - 1)::TEXT, a.value
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(n.value) = 'array' THEN n.value ELSE '[]'::JSONB END)
             WITH ORDINALITY a
    ) child
    WHERE jsonb_typeof(child.value) IN ('object', 'array')
)
SELECT path, value FROM node
$$;

-- The reference objects of a stamped schema: where, what they resolved to, and whether they named an
-- exact revision (SchemaReferences.pinning: floating only when the aug $ref has no revision and
-- there is no $refOriginal).
CREATE FUNCTION aug_references(stamped JSONB)
    RETURNS TABLE (path TEXT[], resolved TEXT, pinned BOOLEAN)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$
SELECT n.path,
       n.value ->> '$refResolved',
       NOT (NOT n.value ? '$refOriginal'
            AND jsonb_typeof(n.value -> '$ref') = 'string'
            AND is_floating_aug_uri(n.value ->> '$ref'))
FROM schema_containers(stamped) n
WHERE is_aug_reference(n.value)
$$;

-- ---- triggers -----------------------------------------------------------------------------

-- A new vibe is visible on its own branch only; schema_refs is derived from the stamped schema
-- (filled when the writer leaves it NULL, checked when it gives it, so it can keep document order,
-- which JSONB does not keep).
CREATE FUNCTION vibes_before_insert() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
DECLARE
    found_refs TEXT[];
    unresolved TEXT[];
BEGIN
    NEW.branches := ARRAY[NEW.branch];
    SELECT coalesce(array_agg(DISTINCT r.resolved), '{}'), coalesce(array_agg(r.path::TEXT) FILTER (
               WHERE r.resolved IS NULL), '{}')
      INTO found_refs, unresolved
      FROM aug_references(NEW.schema) r;
    IF cardinality(unresolved) > 0 THEN
        RAISE EXCEPTION 'vibe % has unstamped aug references at %', NEW.ref, unresolved
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.schema_refs IS NULL THEN
        NEW.schema_refs := found_refs;
    ELSIF NOT (NEW.schema_refs @> found_refs AND found_refs @> NEW.schema_refs)
          OR cardinality(NEW.schema_refs) <> cardinality(found_refs) THEN
        RAISE EXCEPTION 'schema_refs % of % are not the $refResolved values of its schema %',
            NEW.schema_refs, NEW.ref, found_refs
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION vibes_after_insert() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO vibe_visibility (ref, branch, refinement_id, visible_at)
    VALUES (NEW.ref, NEW.branch, NEW.refinement_id, NEW.created_at);

    INSERT INTO vibe_refs (from_ref, to_ref, type, branch, from_id, from_revision, to_id, to_revision, pinned)
    SELECT NEW.ref, r.resolved, 'schema', NEW.branch, NEW.id, NEW.revision,
           split_part(split_part(r.resolved, '@', 2), '?', 1), split_part(r.resolved, '?', 2)::INTEGER,
           bool_and(r.pinned)
    FROM aug_references(NEW.schema) r
    GROUP BY r.resolved;

    IF NEW.prototype_ref IS NOT NULL THEN
        INSERT INTO vibe_refs (from_ref, to_ref, type, branch, from_id, from_revision, to_id, to_revision, pinned)
        VALUES (NEW.ref, NEW.prototype_ref, 'prototype', NEW.branch, NEW.id, NEW.revision,
                split_part(split_part(NEW.prototype_ref, '@', 2), '?', 1),
                split_part(NEW.prototype_ref, '?', 2)::INTEGER, TRUE);
    END IF;
    RETURN NULL;
END
$$;

-- Nothing of a vibe changes but branches, and branches only grow.
CREATE FUNCTION vibes_before_update() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
BEGIN
    IF (to_jsonb(NEW) - 'branches') IS DISTINCT FROM (to_jsonb(OLD) - 'branches')
       OR NOT (NEW.branches @> OLD.branches) THEN
        RAISE EXCEPTION 'vibe % is immutable (only branches may grow)', OLD.ref
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION vibe_visibility_before_insert() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
BEGIN
    SELECT v.id, v.revision INTO NEW.id, NEW.revision FROM vibes v WHERE v.ref = NEW.ref;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no vibe % to make visible on %', NEW.ref, NEW.branch
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION vibe_visibility_after_insert() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE vibes SET branches = array_append(branches, NEW.branch)
    WHERE ref = NEW.ref AND NOT (NEW.branch = ANY (branches));
    RETURN NULL;
END
$$;

CREATE TRIGGER vibes_before_insert BEFORE INSERT ON vibes
    FOR EACH ROW EXECUTE FUNCTION vibes_before_insert();
CREATE TRIGGER vibes_after_insert AFTER INSERT ON vibes
    FOR EACH ROW EXECUTE FUNCTION vibes_after_insert();
CREATE TRIGGER vibes_before_update BEFORE UPDATE ON vibes
    FOR EACH ROW EXECUTE FUNCTION vibes_before_update();
CREATE TRIGGER vibe_visibility_before_insert BEFORE INSERT ON vibe_visibility
    FOR EACH ROW EXECUTE FUNCTION vibe_visibility_before_insert();
CREATE TRIGGER vibe_visibility_after_insert AFTER INSERT ON vibe_visibility
    FOR EACH ROW EXECUTE FUNCTION vibe_visibility_after_insert();

-- ---- genesis: branch main, refinement 1 and the root role that authors the first writes ----

INSERT INTO branches (name, base, fork_refinement_id, created_at, created_by)
VALUES ('main', NULL, 0, TIMESTAMPTZ '1970-01-01 00:00:00+00', 'main@roles/root?1');

INSERT INTO refinements (id, branch, author_ref, kind, output_refs, message, created_at)
VALUES (1, 'main', 'main@roles/root?1', 'refine', ARRAY['main@roles/root?1'], 'genesis',
        TIMESTAMPTZ '1970-01-01 00:00:00+00');

-- digest: sha256 of the RFC 8785 form of {kind, id, context, schema, solution, prototypeRef}
INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, prototype_ref, refinement_id,
                   context, schema, solution, schema_refs, digest, created_at)
VALUES ('main@roles/root?1', 'roles/root', 'main', 1, 'ROLE', ARRAY['main'], 'main@roles/root?1', NULL, 1,
        '{"description": "the root role: authors the first writes"}', '{}', '{"name": "root"}', '{}',
        'sha256:' || encode(sha256(convert_to(
            '{"context":{"description":"the root role: authors the first writes"},"id":"roles/root",'
                || '"kind":"ROLE","prototypeRef":null,"schema":{},"solution":{"name":"root"}}',
            'UTF8')), 'hex'),
        TIMESTAMPTZ '1970-01-01 00:00:00+00');
