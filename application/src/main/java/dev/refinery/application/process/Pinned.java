package dev.refinery.application.process;

import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.process.ProcessDefinition;

import java.time.Instant;
import java.util.Optional;

/** Reading what a run pinned at its start; everything pinned is immutable, so it reads the same forever. */
final class Pinned {
    private Pinned() {}

    /** The vibe {@code uri} names, seen from {@code branch} now. */
    static Optional<Vibe> resolve(LedgerTransaction tx, AugUri uri, BranchName branch) {
        BranchName on = uri.branchIn(branch);
        return uri.revision().isPresent()
                ? tx.visibleRevision(on, uri.id(), uri.revision().get(), Instant.MAX)
                : tx.head(on, uri.id(), Instant.MAX);
    }

    static Vibe vibe(LedgerTransaction tx, VibeRef ref) {
        return tx.vibe(ref).orElseThrow(() -> new IllegalStateException("a pinned vibe is gone: " + ref));
    }

    /** The process definition of a saga (it was valid when the run started, and the vibe never changes). */
    static ProcessDefinition definition(LedgerTransaction tx, SagaInstance saga) {
        return ProcessDefinition.parse(vibe(tx, saga.sagaType()).context()).orElseThrow();
    }
}
