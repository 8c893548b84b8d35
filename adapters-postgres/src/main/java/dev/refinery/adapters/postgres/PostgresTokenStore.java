package dev.refinery.adapters.postgres;

import dev.refinery.application.auth.Principal;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.TokenHash;
import dev.refinery.application.auth.TokenStore;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Token hashes in the {@code api_tokens} table; the tokens themselves are never stored. */
public final class PostgresTokenStore implements TokenStore {
    private final DbClient db;

    public PostgresTokenStore(DbClient db) {
        this.db = db;
    }

    @Override
    public Optional<Principal> find(TokenHash hash) {
        try {
            return db.execute().get("SELECT role_ref, array_to_json(scopes)::TEXT AS scopes FROM api_tokens WHERE hash = ?",
                    hash.hex()).map(PostgresTokenStore::principal);
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
    }

    private static Principal principal(DbRow row) {
        Set<Scope> scopes = Rows.strings(row, "scopes").stream().map(Scope::parse)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        return new Principal(VibeRef.parse(Rows.text(row, "role_ref")), scopes);
    }

    @Override
    public void save(TokenHash hash, Principal principal, String label, Instant createdAt) {
        String[] scopes = principal.scopes().stream().map(Scope::wireName).sorted().toArray(String[]::new);
        try {
            db.execute().dml("INSERT INTO api_tokens (hash, role_ref, scopes, label, created_at) VALUES (?, ?, ?::TEXT[], ?, ?)",
                    hash.hex(), principal.role().toString(), "{" + String.join(",", scopes) + "}", label,
                    Rows.timestamp(createdAt));
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
    }
}
