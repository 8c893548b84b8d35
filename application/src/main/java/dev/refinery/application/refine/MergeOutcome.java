package dev.refinery.application.refine;

import dev.refinery.domain.Refinement;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.Violation;

import java.util.List;

/** Every way a merge can end. */
public sealed interface MergeOutcome {

    /** One refinement of kind merge: revisions made visible on the target, and vibes written for resolutions. */
    record Merged(Refinement refinement, List<VibeRef> fastForwarded, List<Vibe> written) implements MergeOutcome {}

    /** The same idempotency key merged before: that result, nothing new. */
    record Replayed(Refinement refinement) implements MergeOutcome {}

    /**
     * The caller used this idempotency key before for another request (another merge, or a refine): {@code first}
     * is the refinement that holds the key. Nothing was written.
     */
    record KeyReused(String key, Refinement first) implements MergeOutcome {}

    /** Ids changed on both branches that the command did not resolve; nothing was written. */
    record Conflicts(List<Conflict> conflicts) implements MergeOutcome {}

    record Invalid(List<Violation> violations) implements MergeOutcome {}

    record NotFound(String what) implements MergeOutcome {}

    /** The caller may not write the target ({@link dev.refinery.application.auth.BranchWritePolicy}); nothing was written. */
    record Forbidden(dev.refinery.application.auth.BranchWritePolicy.Refusal refusal) implements MergeOutcome {}

    /** An id whose heads diverged: neither head is in the other branch's history. */
    record Conflict(VibeId id, VibeRef source, VibeRef target) {}
}
