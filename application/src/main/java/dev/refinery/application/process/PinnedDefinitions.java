package dev.refinery.application.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.process.CapabilitySpec;
import dev.refinery.domain.process.ProcessDefinition;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Function;

/**
 * The process definitions and capability specs that runs pinned, each read from the ledger and parsed once per
 * ref: a vibe never changes, and a pinned one was committed before its saga was. Every state change of a run
 * needs its definition, so without this each would read the process vibe again. Thread-safe; the least recently
 * used entries go past {@value #MAX_ENTRIES} or past {@value #MAX_BYTES} bytes of each kind, an entry weighing
 * the length of the JSON it was parsed from (a definition holds what its context holds). The values are shared:
 * read them, never change them.
 */
final class PinnedDefinitions {
    static final int MAX_ENTRIES = 1_000;
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final Lru<ProcessDefinition> processes = new Lru<>();
    private final Lru<CapabilitySpec> capabilities = new Lru<>();

    /** The process definition of a saga (it was valid when the run started). */
    ProcessDefinition definition(LedgerTransaction tx, SagaInstance saga) {
        return processes.get(saga.sagaType(), ref -> weighed(Pinned.vibe(tx, ref).context(),
                context -> ProcessDefinition.parse(context).orElseThrow()));
    }

    /** The capability {@code uri} of the saga's process names, as pinned at the start. */
    RunPlan.PinnedCapability capability(LedgerTransaction tx, SagaInstance saga, AugUri uri) {
        VibeRef ref = saga.capabilities().get(uri.toString());
        if (ref == null) throw new IllegalStateException("saga " + saga.id() + " pinned no capability for " + uri);
        return new RunPlan.PinnedCapability(ref, capabilities.get(ref, r -> weighed(Pinned.vibe(tx, r).context(),
                context -> CapabilitySpec.parse(context).orElseThrow())));
    }

    private static <V> Weighed<V> weighed(JsonNode context, Function<JsonNode, V> parse) {
        return new Weighed<>(parse.apply(context), context.toString().length());
    }

    private record Weighed<V>(V value, long bytes) {}

    private static final class Lru<V> {
        private final LinkedHashMap<VibeRef, Weighed<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
        private long bytes;

        V get(VibeRef ref, Function<VibeRef, Weighed<V>> read) {
            synchronized (this) {
                Weighed<V> known = entries.get(ref);
                if (known != null) return known.value();
            }
            // read outside the lock: the ledger's round trip must not hold up other runs
            Weighed<V> value = read.apply(ref);
            if (value.bytes() > MAX_BYTES / 8) return value.value(); // too large to keep
            synchronized (this) {
                if (entries.putIfAbsent(ref, value) == null) {
                    bytes += value.bytes();
                    Iterator<Weighed<V>> eldest = entries.values().iterator();
                    while ((entries.size() > MAX_ENTRIES || bytes > MAX_BYTES) && eldest.hasNext()) {
                        bytes -= eldest.next().bytes();
                        eldest.remove();
                    }
                }
            }
            return value.value();
        }
    }
}
