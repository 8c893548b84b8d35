package dev.refinery.adapters.postgres;

import dev.refinery.application.auth.BranchPattern;
import dev.refinery.application.auth.Principal;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.StoredToken;
import dev.refinery.application.auth.TokenHash;
import dev.refinery.application.auth.TokenId;
import dev.refinery.application.auth.TokenStore;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Token hashes in the {@code api_tokens} table; the tokens themselves are never stored. Every look-up
 * reads the table, so a revocation counts at once on every instance.
 */
public final class PostgresTokenStore implements TokenStore {
    private static final String COLUMNS = "id, role_ref, array_to_json(scopes)::TEXT AS scopes,"
            + " array_to_json(branches)::TEXT AS branches, label, created_at, expires_at, revoked_at";

    private final DbClient db;

    public PostgresTokenStore(DbClient db) {
        this.db = db;
    }

    @Override
    public Optional<StoredToken> find(TokenHash hash) {
        try {
            return db.execute().get("SELECT " + COLUMNS + " FROM api_tokens WHERE hash = ?", hash.hex())
                    .map(PostgresTokenStore::token);
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
    }

    private static StoredToken token(DbRow row) {
        Set<Scope> scopes = Rows.strings(row, "scopes").stream().map(Scope::parse)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        List<BranchPattern> branches = Rows.strings(row, "branches").stream().map(BranchPattern::parse).toList();
        Principal principal = new Principal(VibeRef.parse(Rows.text(row, "role_ref")), scopes, branches);
        return new StoredToken(TokenId.parse(Rows.text(row, "id")), principal, Rows.text(row, "label"),
                Rows.instant(row, "created_at"), optionalInstant(row, "expires_at"), optionalInstant(row, "revoked_at"));
    }

    private static Optional<Instant> optionalInstant(DbRow row, String column) {
        return row.column(column).get(Object.class) == null ? Optional.empty() : Optional.of(Rows.instant(row, column));
    }

    @Override
    public void save(TokenHash hash, StoredToken token) {
        if (!token.id().equals(TokenId.of(hash))) throw new IllegalArgumentException("a token's id is its hash's prefix");
        Principal principal = token.principal();
        String[] scopes = principal.scopes().stream().map(Scope::wireName).sorted().toArray(String[]::new);
        try {
            db.execute().dml("INSERT INTO api_tokens (hash, role_ref, scopes, branches, label, created_at, expires_at,"
                            + " revoked_at) VALUES (?, ?, ?::TEXT[], ?::TEXT[], ?, ?, ?, ?)",
                    hash.hex(), principal.role().toString(), array(List.of(scopes)),
                    array(principal.branches().stream().map(BranchPattern::text).toList()), token.label(),
                    Rows.timestamp(token.createdAt()), token.expiresAt().map(Rows::timestamp).orElse(null),
                    token.revokedAt().map(Rows::timestamp).orElse(null));
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
    }

    /** A TEXT[] literal; scopes and branch patterns hold no quote, comma, brace, backslash or space. */
    private static String array(List<String> items) {
        return "{" + items.stream().map(i -> "\"" + i + "\"").collect(Collectors.joining(",")) + "}";
    }

    @Override
    public List<StoredToken> list() {
        try {
            return db.execute().query("SELECT " + COLUMNS + " FROM api_tokens ORDER BY created_at, id")
                    .map(PostgresTokenStore::token).toList();
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
    }

    @Override
    public Optional<StoredToken> revoke(TokenId id, Instant at) {
        try {
            db.execute().dml("UPDATE api_tokens SET revoked_at = GREATEST(?, created_at) WHERE id = ? AND revoked_at IS NULL",
                    Rows.timestamp(at), id.value());
            return db.execute().get("SELECT " + COLUMNS + " FROM api_tokens WHERE id = ?", id.value())
                    .map(PostgresTokenStore::token);
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
    }
}
