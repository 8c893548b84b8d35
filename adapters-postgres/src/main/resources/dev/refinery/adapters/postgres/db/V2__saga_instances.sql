-- The state store of process runs (seed 003): one row per saga, changed under SELECT ... FOR UPDATE
-- with lock_version as the optimistic version. Times are UTC (the seed's TIMESTAMP type).
CREATE TABLE saga_instances (
    id             UUID PRIMARY KEY,
    saga_type      VARCHAR(512) NOT NULL,
    current_state  VARCHAR(255) NOT NULL,
    status         VARCHAR(32)  NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    context        JSONB        NOT NULL DEFAULT '{}',
    correlation_id VARCHAR(255),
    lock_version   INTEGER      NOT NULL DEFAULT 0,
    created_at     TIMESTAMP    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at     TIMESTAMP    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE INDEX saga_instances_saga_type_idx ON saga_instances (saga_type);
CREATE INDEX saga_instances_current_state_idx ON saga_instances (current_state);
CREATE INDEX saga_instances_status_idx ON saga_instances (status, updated_at);
CREATE INDEX saga_instances_correlation_id_idx ON saga_instances (correlation_id);
CREATE INDEX saga_instances_context_idx ON saga_instances USING GIN (context);

-- "updated automatically when the row changes" (seed 003)
CREATE FUNCTION saga_instances_touch() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
BEGIN
    NEW.updated_at := now() AT TIME ZONE 'UTC';
    RETURN NEW;
END
$$;

CREATE TRIGGER saga_instances_touch BEFORE UPDATE ON saga_instances
    FOR EACH ROW EXECUTE FUNCTION saga_instances_touch();
