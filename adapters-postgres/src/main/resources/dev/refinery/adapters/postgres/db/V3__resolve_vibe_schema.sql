-- resolve_vibe_schema(ref, mode): the views of a stored vibe's schema, as the Java SchemaResolver
-- builds them (docs/schema-resolution.md). The closure is read in one recursive query over
-- vibe_refs; the views are built by the functions below. Errors:
--   54000 program_limit_exceeded  the inlined view passes max_nodes or max_depth, or nests deeper than
--                                 the server's stack allows (~500 levels at max_stack_depth 2MB): "too large"
--   22023 invalid_parameter_value an unknown mode
--   22000 data_exception          a schema that cannot be resolved (e.g. a $defs clash when bundling)

CREATE FUNCTION json_pointer_escape(token TEXT)
    RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$
SELECT replace(replace(token, '~', '~0'), '/', '~1')
$$;

-- The stamped schemas of a vibe and of everything it references, transitively: {ref: schema}.
CREATE FUNCTION schema_closure(root TEXT)
    RETURNS JSONB
    LANGUAGE sql STABLE STRICT PARALLEL SAFE AS
$$
WITH RECURSIVE closure(ref) AS (
    SELECT v.ref FROM vibes v WHERE v.ref = root
  UNION
    SELECT e.to_ref FROM closure c JOIN vibe_refs e ON e.from_ref = c.ref AND e.type = 'schema'
)
SELECT jsonb_object_agg(v.ref, v.schema) FROM closure c JOIN vibes v ON v.ref = c.ref
$$;

-- The $refResolved of a reference object, which must name a schema of the closure.
CREATE FUNCTION schema_resolved_ref(reference JSONB, closure JSONB)
    RETURNS TEXT
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS
$$
BEGIN
    IF jsonb_typeof(reference -> '$refResolved') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'not a stamped schema: a reference has no $refResolved string: %', reference
            USING ERRCODE = 'data_exception';
    END IF;
    IF NOT closure ? (reference ->> '$refResolved') THEN
        RAISE EXCEPTION 'the dependency closure lacks %', reference ->> '$refResolved'
            USING ERRCODE = 'data_exception';
    END IF;
    RETURN reference ->> '$refResolved';
END
$$;

-- bundled: every aug reference becomes "$ref": "#/$defs/<esc ref>" ($refOriginal dropped) and, when
-- placement is given, every local ref "#X" of a plain object becomes placement + X. The reference
-- keys of an aug reference are not descended into (SchemaTree.forEachObject).
CREATE FUNCTION schema_rewrite_references(node JSONB, placement TEXT, closure JSONB)
    RETURNS JSONB
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS
$$
DECLARE
    augmented BOOLEAN;
    result    JSONB;
BEGIN
    CASE jsonb_typeof(node)
        WHEN 'object' THEN
            augmented := is_aug_reference(node);
            SELECT coalesce(jsonb_object_agg(e.key,
                       CASE WHEN jsonb_typeof(e.value) IN ('object', 'array')
                                 AND NOT (augmented AND e.key IN ('$ref', '$refOriginal', '$refResolved'))
                            THEN schema_rewrite_references(e.value, placement, closure)
                            ELSE e.value END), '{}'::JSONB)
              INTO result
              FROM jsonb_each(node) e;
            IF augmented THEN
                result := (result - '$refOriginal')
                          || jsonb_build_object('$ref', '#/$defs/'
                              || json_pointer_escape(schema_resolved_ref(node, closure)));
            ELSIF placement IS NOT NULL AND jsonb_typeof(node -> '$ref') = 'string'
                  AND (node ->> '$ref' = '#' OR starts_with(node ->> '$ref', '#/')) THEN
                result := result || jsonb_build_object('$ref', placement || substr(node ->> '$ref', 2));
            END IF;
            RETURN result;
        WHEN 'array' THEN
            SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(a.value) IN ('object', 'array')
                                           THEN schema_rewrite_references(a.value, placement, closure)
                                           ELSE a.value END ORDER BY a.ordinality), '[]'::JSONB)
              INTO result
              FROM jsonb_array_elements(node) WITH ORDINALITY a;
            RETURN result;
        ELSE
            RETURN node;
    END CASE;
END
$$;

CREATE FUNCTION schema_bundled(root TEXT, closure JSONB)
    RETURNS JSONB
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS
$$
DECLARE
    dependencies JSONB := closure - root;
    bundle       JSONB := schema_rewrite_references(closure -> root, NULL, closure - root);
    defs         JSONB;
    dependency   TEXT;
    schema       JSONB;
BEGIN
    IF jsonb_typeof(bundle) <> 'object' THEN
        IF dependencies = '{}'::JSONB THEN
            RETURN bundle;
        END IF;
        RAISE EXCEPTION 'a root schema that is not an object cannot hold $defs for its % dependencies',
            (SELECT count(*) FROM jsonb_object_keys(dependencies))
            USING ERRCODE = 'data_exception';
    END IF;
    IF NOT bundle ? '$schema' THEN
        bundle := jsonb_build_object('$schema', 'https://json-schema.org/draft/2020-12/schema') || bundle;
    END IF;
    IF dependencies = '{}'::JSONB THEN
        RETURN bundle;
    END IF;
    defs := coalesce(bundle -> '$defs', '{}'::JSONB);
    IF jsonb_typeof(defs) <> 'object' THEN
        RAISE EXCEPTION 'the root schema''s $defs is %, not an object, so dependencies cannot be added to it',
            jsonb_typeof(defs)
            USING ERRCODE = 'data_exception';
    END IF;
    FOR dependency, schema IN SELECT e.key, e.value FROM jsonb_each(dependencies) e LOOP
        IF defs ? dependency THEN
            RAISE EXCEPTION 'the root schema''s $defs already has an entry ''%'', which the bundle needs for the dependency %',
                dependency, dependency
                USING ERRCODE = 'data_exception';
        END IF;
        IF jsonb_typeof(schema) = 'object' THEN
            schema := schema - '$schema' - '$id';
        END IF;
        defs := defs || jsonb_build_object(dependency,
            schema_rewrite_references(schema, '#/$defs/' || json_pointer_escape(dependency), dependencies));
    END LOOP;
    RETURN bundle || jsonb_build_object('$defs', defs);
END
$$;

-- inlined, one object's members (Inliner.members): for an aug reference, the schema it names (itself
-- followed when its top level is a reference too) without $schema and $id, merged with the reference's
-- own members but $ref and $refOriginal; outer members win. Each member is
-- {"value": …, "placement": …, "depth": …}: where its local refs point and how deep it is nested.
CREATE FUNCTION schema_inline_members(source JSONB, pointer TEXT, placement TEXT, depth INTEGER, closure JSONB,
                                      max_depth INTEGER)
    RETURNS JSONB
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS
$$
DECLARE
    layers        JSONB[] := ARRAY[jsonb_build_object('schema', source, 'placement', placement, 'depth', depth,
                                                      'dependency', FALSE)];
    current       JSONB := source;
    current_depth INTEGER := depth;
    ref           TEXT;
    layer         JSONB;
    schema        JSONB;
    augmented     BOOLEAN;
    member        RECORD;
    merged        JSONB := '{}'::JSONB;
BEGIN
    WHILE is_aug_reference(current) LOOP
        ref := schema_resolved_ref(current, closure);
        current_depth := current_depth + 1;
        IF current_depth > max_depth THEN
            RAISE EXCEPTION 'schema references nest more than % levels deep (maxInlineDepth = %): % would be inlined at ''%'' at depth %; read the bundled view instead',
                max_depth, max_depth, ref, pointer, max_depth + 1
                USING ERRCODE = 'program_limit_exceeded';
        END IF;
        current := closure -> ref;
        layers := layers || jsonb_build_object('schema', current, 'placement', pointer, 'depth', current_depth,
                                               'dependency', TRUE);
    END LOOP;

    FOR i IN REVERSE cardinality(layers)..1 LOOP
        layer := layers[i];
        schema := layer -> 'schema';
        CASE jsonb_typeof(schema)
            WHEN 'object' THEN
                augmented := is_aug_reference(schema);
                FOR member IN SELECT e.key, e.value FROM jsonb_each(schema) e LOOP
                    CONTINUE WHEN augmented AND member.key IN ('$ref', '$refOriginal');
                    CONTINUE WHEN (layer ->> 'dependency')::BOOLEAN AND member.key IN ('$schema', '$id');
                    merged := merged || jsonb_build_object(member.key, jsonb_build_object('value', member.value,
                        'placement', layer -> 'placement', 'depth', layer -> 'depth'));
                END LOOP;
            WHEN 'boolean' THEN
                -- an object with the same meaning, so the reference's own members can be merged in
                IF NOT schema::TEXT::BOOLEAN THEN
                    merged := merged || jsonb_build_object('not', jsonb_build_object('value', '{}'::JSONB,
                        'placement', layer -> 'placement', 'depth', layer -> 'depth'));
                END IF;
            ELSE
                RAISE EXCEPTION 'cannot inline at ''%'': a referenced schema is %, neither an object nor a boolean',
                    pointer, jsonb_typeof(schema)
                    USING ERRCODE = 'data_exception';
        END CASE;
    END LOOP;
    RETURN merged;
END
$$;

-- inlined, one node placed at pointer of the result (Inliner.place/fill). nodes counts every JSON node
-- of the result, the root included; past max_nodes the view fails.
CREATE FUNCTION schema_inline_node(source JSONB, pointer TEXT, placement TEXT, depth INTEGER, closure JSONB,
                                   max_nodes INTEGER, max_depth INTEGER, INOUT nodes INTEGER, OUT result JSONB)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS
$$
DECLARE
    member RECORD;
    value  JSONB;
    names  TEXT[] := '{}';
    items  JSONB[] := '{}';
    placed RECORD;
    i      INTEGER;
BEGIN
    nodes := nodes + 1;
    IF nodes > max_nodes THEN
        RAISE EXCEPTION 'the inlined schema has more than % JSON nodes (maxInlinedNodes = %); read the bundled view instead',
            max_nodes, max_nodes
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    CASE jsonb_typeof(source)
        WHEN 'array' THEN
            FOR i IN 0..jsonb_array_length(source) - 1 LOOP
                placed := schema_inline_node(source -> i, pointer || '/' || i, placement, depth, closure,
                                             max_nodes, max_depth, nodes);
                nodes := placed.nodes;
                items := items || placed.result;
            END LOOP;
            result := to_jsonb(items);
        WHEN 'object' THEN
            FOR member IN SELECT e.key, e.value
                            FROM jsonb_each(schema_inline_members(source, pointer, placement, depth, closure,
                                                                  max_depth)) e LOOP
                value := member.value -> 'value';
                IF member.key = '$ref' AND jsonb_typeof(value) = 'string'
                   AND (value #>> '{}' = '#' OR starts_with(value #>> '{}', '#/')) THEN
                    value := to_jsonb('#' || (member.value ->> 'placement') || substr(value #>> '{}', 2));
                END IF;
                -- an assignment, not a SELECT: plain expressions take far less stack per level
                placed := schema_inline_node(value, pointer || '/' || json_pointer_escape(member.key),
                                             member.value ->> 'placement', (member.value ->> 'depth')::INTEGER,
                                             closure, max_nodes, max_depth, nodes);
                nodes := placed.nodes;
                names := names || member.key;
                items := items || placed.result;
            END LOOP;
            SELECT coalesce(jsonb_object_agg(k, v), '{}'::JSONB) INTO result FROM unnest(names, items) AS m(k, v);
        ELSE
            result := source;
    END CASE;
END
$$;

CREATE FUNCTION resolve_vibe_schema(ref TEXT, mode TEXT DEFAULT 'inlined', max_nodes INTEGER DEFAULT 100000,
                                    max_depth INTEGER DEFAULT 64)
    RETURNS JSONB
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS
$$
DECLARE
    closure JSONB;
    inlined RECORD;
BEGIN
    IF lower(mode) NOT IN ('stamped', 'bundled', 'inlined') THEN
        RAISE EXCEPTION 'schema view must be one of stamped, bundled, inlined, got %', mode
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    closure := schema_closure(ref);
    IF closure IS NULL OR NOT closure ? ref THEN
        RETURN NULL;
    END IF;
    CASE lower(mode)
        WHEN 'stamped' THEN
            RETURN closure -> ref;
        WHEN 'bundled' THEN
            RETURN schema_bundled(ref, closure);
        ELSE
            inlined := schema_inline_node(closure -> ref, '', '', 0, closure, max_nodes, max_depth, 0);
            RETURN inlined.result;
    END CASE;
EXCEPTION
    WHEN statement_too_complex THEN
        -- the recursion here is as deep as the result (Java's Inliner is iterative): some 500 levels
        -- with PostgreSQL's default max_stack_depth of 2MB
        RAISE EXCEPTION 'the inlined schema of % nests deeper than the database server''s stack allows; read the bundled view instead',
            ref
            USING ERRCODE = 'program_limit_exceeded';
END
$$;
