-- aug_references and schema_containers, as V1 made them, but not STRICT: PostgreSQL inlines a
-- set-returning SQL function into the query that calls it only when it is not STRICT (nor VOLATILE,
-- nor SECURITY DEFINER). Declared STRICT, each call from the vibes triggers was a separate query,
-- planned again on every call: ~0.35 ms of planning per call, twice per vibe written. Inlined, the
-- walk is part of the trigger's own query, whose plan PL/pgSQL keeps: ~0.06 ms per call.
--
-- The results are the same for every input, NULL included: schema_containers(NULL) now yields one
-- row (the empty path, a NULL value) instead of none, which aug_references then drops, since
-- is_aug_reference (still STRICT: a scalar SQL function is inlined all the same) is NULL for it.
-- Same bodies as V1; see docs/schema-resolution.md.

CREATE OR REPLACE FUNCTION schema_containers(doc JSONB)
    RETURNS TABLE (path TEXT[], value JSONB)
    LANGUAGE sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE AS
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

CREATE OR REPLACE FUNCTION aug_references(stamped JSONB)
    RETURNS TABLE (path TEXT[], resolved TEXT, pinned BOOLEAN)
    LANGUAGE sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE AS
$$
SELECT n.path,
       n.value ->> '$refResolved',
       NOT (NOT n.value ? '$refOriginal'
            AND jsonb_typeof(n.value -> '$ref') = 'string'
            AND is_floating_aug_uri(n.value ->> '$ref'))
FROM schema_containers(stamped) n
WHERE is_aug_reference(n.value)
$$;
