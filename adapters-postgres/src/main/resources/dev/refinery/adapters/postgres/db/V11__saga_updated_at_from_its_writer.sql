-- A saga's updated_at as its writer gives it. V2's trigger replaced every value with the database's
-- now(), while created_at came from the application's clock: the two times of one row came from two
-- clocks, and GET /v1/processes?stuckFor=... (RUNNING and updated_at before the application's now minus
-- the duration) was off by any skew between them. The application sets updated_at on every update it
-- makes (SagaInstance.changed); the trigger now touches the row only when an update leaves updated_at
-- as it was (an UPDATE that does not set it, by hand), which keeps the seed's "updated automatically
-- when the row changes" for those.
CREATE OR REPLACE FUNCTION saga_instances_touch() RETURNS TRIGGER LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now() AT TIME ZONE 'UTC';
    END IF;
    RETURN NEW;
END
$$;
