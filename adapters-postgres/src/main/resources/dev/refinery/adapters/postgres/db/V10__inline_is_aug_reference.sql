-- is_aug_reference, as V1 made it, but not STRICT: PostgreSQL inlines a STRICT scalar SQL function
-- only when its body is strict too, and PostgreSQL does not count AND and OR as strict. Declared
-- STRICT, it ran as a query of its own on every call: 8 calls per vibe written through aug_references'
-- walk (V6, which said wrongly that it was inlined all the same), a quarter of them planned again,
-- 6-7 µs each (pg_stat_statements, refine-throughput, 2026-12-04). Inlined, it is part of the walk.
--
-- The results are the same for every input: for a NULL argument every term of the body is NULL, so the
-- body yields NULL, as STRICT did; for any other input the body is what it was.
CREATE OR REPLACE FUNCTION is_aug_reference(o JSONB)
    RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE AS
$$
SELECT jsonb_typeof(o) = 'object'
       AND (o ? '$refResolved'
            OR (jsonb_typeof(o -> '$refOriginal') = 'string' AND starts_with(o ->> '$refOriginal', 'aug:'))
            OR (jsonb_typeof(o -> '$ref') = 'string' AND starts_with(o ->> '$ref', 'aug:')))
$$;
