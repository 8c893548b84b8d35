package dev.refinery.application.refine;

import dev.refinery.domain.Violation;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;

import java.util.List;

/**
 * What a dry run finds for one output id: each head on the branch that depends on the id, and
 * whether its stored solution still validates once its floating references move to the new schema.
 * At most a configured number of dependents are checked, the nearest first (by depth, then ref, as
 * {@code GET /v1/impact} lists them); {@code truncated} says that more depend on the id.
 */
public record ImpactReport(VibeId id, List<Dependent> dependents, boolean truncated) {
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
