package dev.refinery.application.refine;

import dev.refinery.domain.Refinement;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.List;
import java.util.Optional;

/** Every way a refine can end; the caller handles each. */
public sealed interface RefineOutcome {

    /**
     * Written, or nothing to write: {@code refinement} is empty when every output equalled its head
     * ({@link RefinedVibe#unchanged()} on all of them).
     */
    record Written(Optional<Refinement> refinement, List<RefinedVibe> vibes) implements RefineOutcome {}

    /** The idempotency key was used before: the first result, nothing written now. */
    record Replayed(Refinement refinement, List<RefinedVibe> vibes) implements RefineOutcome {}

    /**
     * The caller used this idempotency key before for another request (its digest differs): {@code first} is the
     * refinement that holds the key. Nothing was written.
     */
    record KeyReused(String key, Refinement first) implements RefineOutcome {}

    /** A dry run: what would be written, and what it would affect. Nothing was written. */
    record Previewed(List<RefinedVibe> vibes, List<ImpactReport> impact) implements RefineOutcome {}

    /** The caller's {@code base} for {@code id} is not the current head. */
    record StaleBase(VibeId id, VibeRef base, Optional<VibeRef> currentHead) implements RefineOutcome {}

    /** The input breaks a rule; each violation points into the command's JSON shape ({@code /vibes/0/solution/age}). */
    record Invalid(List<Violation> violations) implements RefineOutcome {}

    /** The caller may not write the branch ({@link dev.refinery.application.auth.BranchWritePolicy}); nothing was read or written. */
    record Forbidden(dev.refinery.application.auth.BranchWritePolicy.Refusal refusal) implements RefineOutcome {}

    /** Something the command names does not exist (the branch, the author, a target, a base, a prototype). */
    record NotFound(String what) implements RefineOutcome {}
}
