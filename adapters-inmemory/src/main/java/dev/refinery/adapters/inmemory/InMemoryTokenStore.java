package dev.refinery.adapters.inmemory;

import dev.refinery.application.auth.StoredToken;
import dev.refinery.application.auth.TokenHash;
import dev.refinery.application.auth.TokenId;
import dev.refinery.application.auth.TokenStore;
import dev.refinery.application.port.DuplicateWriteException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Token hashes in memory, for tests and for embedding without a database. */
public final class InMemoryTokenStore implements TokenStore {
    private final Map<TokenHash, StoredToken> entries = new LinkedHashMap<>();

    @Override
    public synchronized Optional<StoredToken> find(TokenHash hash) {
        return Optional.ofNullable(entries.get(hash));
    }

    @Override
    public synchronized void save(TokenHash hash, StoredToken token) {
        if (!token.id().equals(TokenId.of(hash))) throw new IllegalArgumentException("a token's id is its hash's prefix");
        boolean idTaken = entries.values().stream().anyMatch(t -> t.id().equals(token.id()));
        if (entries.containsKey(hash) || idTaken) {
            throw new DuplicateWriteException("a token with this hash is saved already", null);
        }
        entries.put(hash, token);
    }

    @Override
    public synchronized List<StoredToken> list() {
        List<StoredToken> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparing(StoredToken::createdAt));
        return all;
    }

    @Override
    public synchronized Optional<StoredToken> revoke(TokenId id, Instant at) {
        for (Map.Entry<TokenHash, StoredToken> e : entries.entrySet()) {
            StoredToken t = e.getValue();
            if (!t.id().equals(id)) continue;
            if (t.revokedAt().isPresent()) return Optional.of(t);
            StoredToken revoked = new StoredToken(t.id(), t.principal(), t.label(), t.createdAt(), t.expiresAt(),
                    Optional.of(at));
            e.setValue(revoked);
            return Optional.of(revoked);
        }
        return Optional.empty();
    }
}
