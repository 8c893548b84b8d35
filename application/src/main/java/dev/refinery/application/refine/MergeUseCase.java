package dev.refinery.application.refine;

/**
 * Merges one branch into another as one refinement of kind merge. An id changed only on the
 * source fast-forwards (its newer revisions become visible on the target); an id changed on
 * both is a conflict the caller must resolve.
 */
@FunctionalInterface
public interface MergeUseCase {
    MergeOutcome merge(MergeCommand command);
}
