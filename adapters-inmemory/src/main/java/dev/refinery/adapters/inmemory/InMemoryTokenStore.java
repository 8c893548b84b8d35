package dev.refinery.adapters.inmemory;

import dev.refinery.application.auth.Principal;
import dev.refinery.application.auth.TokenHash;
import dev.refinery.application.auth.TokenStore;
import dev.refinery.application.port.DuplicateWriteException;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Token hashes in memory, for tests and for embedding without a database. */
public final class InMemoryTokenStore implements TokenStore {
    private final Map<TokenHash, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Principal principal, String label, Instant createdAt) {}

    @Override
    public Optional<Principal> find(TokenHash hash) {
        return Optional.ofNullable(entries.get(hash)).map(Entry::principal);
    }

    @Override
    public void save(TokenHash hash, Principal principal, String label, Instant createdAt) {
        if (entries.putIfAbsent(hash, new Entry(principal, label, createdAt)) != null) {
            throw new DuplicateWriteException("a token with this hash is saved already", null);
        }
    }
}
