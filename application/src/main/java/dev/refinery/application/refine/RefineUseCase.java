package dev.refinery.application.refine;

/** Writes one refinement: all of its outputs in one transaction, or none. */
@FunctionalInterface
public interface RefineUseCase {
    RefineOutcome refine(RefineCommand command);
}
