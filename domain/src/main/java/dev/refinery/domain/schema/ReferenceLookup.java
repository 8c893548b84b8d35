package dev.refinery.domain.schema;

import dev.refinery.domain.AugUri;
import dev.refinery.domain.VibeRef;

import java.util.Optional;

/**
 * What stamping needs to know about the ledger, seen from one write: its context branch, its
 * context time and the outputs of the same refinement that come before the schema being stamped.
 */
public interface ReferenceLookup {

    /**
     * The vibe an aug URI names from this write's context: on the URI's branch, or the context
     * branch when it has none; with {@code ?N}, revision N of the id as visible on that branch;
     * without, the head of the id on that branch as of the context time. Empty when there is none.
     */
    Optional<VibeRef> resolve(AugUri uri);

    /**
     * Whether a vibe with exactly this canonical ref exists: an already stamped reference is only
     * checked, never resolved again.
     */
    boolean exists(VibeRef ref);
}
