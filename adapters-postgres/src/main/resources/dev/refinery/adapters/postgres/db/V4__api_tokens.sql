-- Bearer tokens for auth.mode=token: only the SHA-256 of each token is kept, never the token.
CREATE TABLE api_tokens (
    hash        TEXT        PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    role_ref    TEXT        NOT NULL REFERENCES vibes (ref),
    scopes      TEXT[]      NOT NULL CHECK (cardinality(scopes) > 0
                                            AND scopes <@ ARRAY['read', 'write', 'admin']::TEXT[]),
    label       TEXT        NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX api_tokens_role_idx ON api_tokens (role_ref);
