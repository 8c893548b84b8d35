package dev.refinery.adapters.inmemory;

import dev.refinery.application.log.LogEntry;
import dev.refinery.application.log.LogStore;
import dev.refinery.application.log.SignedCheckpoint;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.log.Checkpoint;
import dev.refinery.domain.log.CompactRange;
import dev.refinery.domain.log.LogLeaf;
import dev.refinery.domain.log.MerkleHash;
import dev.refinery.domain.log.NoteSigner;
import dev.refinery.domain.log.PerfectSubtrees;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The transparency log in memory, for tests and for embedding without a database: {@link #integrate}
 * appends the ledger's refinements after the last one integrated (ids are dense in memory) and signs a checkpoint.
 */
public final class InMemoryLog implements LogStore {
    private final String origin;
    private final NoteSigner signer;
    private final CompactRange range = CompactRange.empty();
    private final Map<String, byte[]> subtrees = new HashMap<>();
    private final Map<Long, Long> indexOf = new HashMap<>();
    private final List<Long> refinementAt = new ArrayList<>();
    private final Map<Long, String> leaves = new HashMap<>();
    private SignedCheckpoint latest;

    public InMemoryLog(String origin, NoteSigner signer) {
        this.origin = origin;
        this.signer = signer;
    }

    /** Appends what the ledger committed since the last call; returns how many leaves were appended. */
    public synchronized int integrate(VibeLedger ledger) {
        int appended = 0;
        while (true) {
            long next = refinementAt.isEmpty() ? 1 : refinementAt.getLast() + 1;
            Optional<String> leaf = ledger.read(tx -> tx.refinement(next).map(r -> {
                Map<VibeRef, Digest> digests = new HashMap<>();
                for (VibeRef ref : r.outputRefs()) tx.vibe(ref).map(Vibe::digest).ifPresent(d -> digests.put(ref, d));
                return LogLeaf.canonical(r, digests);
            }));
            if (leaf.isEmpty()) break;
            long index = range.size();
            for (CompactRange.Node n : range.append(MerkleHash.leaf(leaf.get().getBytes(StandardCharsets.UTF_8)))) {
                subtrees.put(n.level() + "/" + n.index(), n.hash());
            }
            indexOf.put(next, index);
            refinementAt.add(next);
            leaves.put(next, leaf.get());
            appended++;
        }
        if (appended > 0) {
            Checkpoint head = new Checkpoint(origin, range.size(), range.root());
            latest = new SignedCheckpoint(head.size(), head.root(), signer.sign(head));
        }
        return appended;
    }

    @Override
    public synchronized Optional<SignedCheckpoint> latestCheckpoint() {
        return Optional.ofNullable(latest);
    }

    @Override
    public synchronized Optional<LogEntry> entry(long refinementId) {
        Long index = indexOf.get(refinementId);
        if (index == null) return Optional.empty();
        return Optional.of(new LogEntry(index, refinementId, subtrees.get("0/" + index), leaves.get(refinementId)));
    }

    @Override
    public synchronized <T> T withTree(Function<PerfectSubtrees, T> work) {
        return work.apply((level, index) -> {
            byte[] h = subtrees.get(level + "/" + index);
            if (h == null) throw new IllegalStateException("no subtree " + level + "/" + index);
            return h;
        });
    }
}
