-- The transparency log (DESIGN.md §4): each committed refinement is one leaf of an RFC 9162 Merkle
-- tree, appended after commit by one sequencer. log_leaves holds the leaf hashes in log order,
-- log_nodes every complete subtree above them (so a proof reads O(log² n) rows), log_checkpoints
-- each signed tree head (a C2SP signed note). All three are append-only: the application role may
-- select and insert, and no role may update or delete (the triggers below refuse even the owner).

CREATE TABLE log_leaves (
    leaf_index    BIGINT PRIMARY KEY CHECK (leaf_index >= 0),
    refinement_id BIGINT NOT NULL UNIQUE REFERENCES refinements (id),
    leaf_hash     BYTEA  NOT NULL CHECK (octet_length(leaf_hash) = 32),
    integrated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The hash of the complete subtree of 2^level leaves starting at leaf index * 2^level (level 0 is log_leaves).
CREATE TABLE log_nodes (
    level      SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 63),
    node_index BIGINT   NOT NULL CHECK (node_index >= 0),
    hash       BYTEA    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, node_index)
);

CREATE TABLE log_checkpoints (
    tree_size  BIGINT PRIMARY KEY CHECK (tree_size >= 0),
    root_hash  BYTEA  NOT NULL CHECK (octet_length(root_hash) = 32),
    note       TEXT   NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Leaves are appended in order, without holes: the next index is the count so far.
CREATE FUNCTION log_leaves_before_insert() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
DECLARE
    next_index BIGINT;
BEGIN
    SELECT coalesce(max(leaf_index) + 1, 0) INTO next_index FROM log_leaves;
    IF NEW.leaf_index <> next_index THEN
        RAISE EXCEPTION 'log leaf % is not the next one (%)', NEW.leaf_index, next_index
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

-- A checkpoint grows the tree and covers only leaves already appended.
CREATE FUNCTION log_checkpoints_before_insert() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.tree_size > (SELECT coalesce(max(leaf_index) + 1, 0) FROM log_leaves)
       OR NEW.tree_size <= (SELECT coalesce(max(tree_size), -1) FROM log_checkpoints) THEN
        RAISE EXCEPTION 'checkpoint of size % does not extend the log', NEW.tree_size
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION log_append_only() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER log_leaves_before_insert BEFORE INSERT ON log_leaves
    FOR EACH ROW EXECUTE FUNCTION log_leaves_before_insert();
CREATE TRIGGER log_checkpoints_before_insert BEFORE INSERT ON log_checkpoints
    FOR EACH ROW EXECUTE FUNCTION log_checkpoints_before_insert();
CREATE TRIGGER log_leaves_append_only BEFORE UPDATE OR DELETE ON log_leaves
    FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_nodes_append_only BEFORE UPDATE OR DELETE ON log_nodes
    FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints
    FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_leaves_no_truncate BEFORE TRUNCATE ON log_leaves
    FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_nodes_no_truncate BEFORE TRUNCATE ON log_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();
