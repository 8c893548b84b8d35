package dev.refinery.application.process;

import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.process.CapabilitySpec;
import dev.refinery.domain.process.ProcessDefinition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The process definitions and capability specs that runs pinned, each read from the ledger and parsed once per
 * ref: a vibe never changes, and a pinned one was committed before its saga was. Every state change of a run
 * needs its definition, so without this each would read the process vibe again. Thread-safe; the least recently
 * used entries go past {@value #MAX_ENTRIES} of each kind. The values are shared: read them, never change them.
 */
final class PinnedDefinitions {
    static final int MAX_ENTRIES = 1_000;

    private final Map<VibeRef, ProcessDefinition> processes = lru();
    private final Map<VibeRef, CapabilitySpec> capabilities = lru();

    /** The process definition of a saga (it was valid when the run started). */
    ProcessDefinition definition(LedgerTransaction tx, SagaInstance saga) {
        return cached(processes, saga.sagaType(), ref -> Pinned.definition(tx, saga));
    }

    /** The capability {@code uri} of the saga's process names, as pinned at the start. */
    RunPlan.PinnedCapability capability(LedgerTransaction tx, SagaInstance saga, AugUri uri) {
        VibeRef ref = saga.capabilities().get(uri.toString());
        if (ref == null) throw new IllegalStateException("saga " + saga.id() + " pinned no capability for " + uri);
        return new RunPlan.PinnedCapability(ref, cached(capabilities, ref,
                r -> CapabilitySpec.parse(Pinned.vibe(tx, r).context()).orElseThrow()));
    }

    private static <V> V cached(Map<VibeRef, V> cache, VibeRef ref, Function<VibeRef, V> read) {
        synchronized (cache) {
            V known = cache.get(ref);
            if (known != null) return known;
        }
        // read outside the lock: the ledger's round trip must not hold up other runs
        V value = read.apply(ref);
        synchronized (cache) {
            cache.putIfAbsent(ref, value);
        }
        return value;
    }

    private static <V> Map<VibeRef, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<VibeRef, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }
}
