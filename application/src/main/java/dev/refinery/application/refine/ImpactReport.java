package dev.refinery.application.refine;

import dev.refinery.domain.Violation;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;

import java.util.List;

/**
 * What a dry run finds for one output id: each head on the branch that depends on the id, and
 * whether its stored solution still validates once its floating references move to the new schema.
 */
public record ImpactReport(VibeId id, List<Dependent> dependents) {
    public ImpactReport {
        dependents = List.copyOf(dependents);
    }

    /** {@code stillValid} is true for pinned dependents (they don't move). */
    public record Dependent(VibeRef ref, int depth, boolean floating, boolean stillValid, List<Violation> violations) {
        public Dependent {
            violations = List.copyOf(violations);
        }
    }
}
