-- Tokens get a public id (derived from the hash: it tells nothing of the token), branch patterns they may
-- write, an optional expiry, and a revocation that is set once and never undone.
ALTER TABLE api_tokens
    ADD COLUMN id         TEXT GENERATED ALWAYS AS (substr(hash, 1, 16)) STORED,
    ADD COLUMN branches   TEXT[] NOT NULL DEFAULT '{*}' CHECK (cardinality(branches) > 0
                                                                AND array_position(branches, NULL) IS NULL),
    ADD COLUMN expires_at TIMESTAMPTZ CHECK (expires_at > created_at),
    ADD COLUMN revoked_at TIMESTAMPTZ CHECK (revoked_at >= created_at);
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_id_key UNIQUE (id);

-- Only the revocation changes, and only once: from NULL to a time.
CREATE FUNCTION api_tokens_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
       OR (NEW.hash, NEW.role_ref, NEW.scopes, NEW.label, NEW.created_at, NEW.branches, NEW.expires_at)
          IS DISTINCT FROM (OLD.hash, OLD.role_ref, OLD.scopes, OLD.label, OLD.created_at, OLD.branches, OLD.expires_at)
    THEN
        RAISE EXCEPTION 'a token is only ever revoked, once' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER api_tokens_revoke_only BEFORE UPDATE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION api_tokens_revoke_only();
