package dev.refinery.application.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.process.Budget;
import dev.refinery.domain.process.CapabilitySpec;
import dev.refinery.domain.process.RunLimits;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A run as its engine needs it: the pinned steps with their capabilities, what is recorded so far, and
 * what to do next ({@link Phase}). Built from the saga and the pinned vibes, so a restarted engine goes on
 * where the last one stopped. {@code limits}: how large its data may grow.
 */
public record RunPlan(UUID sagaId, VibeRef process, BranchName branch, SagaStatus status, Phase phase, JsonNode input,
                      List<PlannedStep> steps, Budget budget, Instant startedAt, Map<String, JsonNode> outputs,
                      Optional<SagaInstance.Compensation> compensation, Optional<VibeRef> resultRef,
                      Optional<String> error, RunLimits limits) {

    public RunPlan {
        steps = List.copyOf(steps);
        outputs = Map.copyOf(outputs);
        input = input.deepCopy();
    }

    public enum Phase {
        /** Run the steps not recorded yet, then complete. */
        RUN,
        /** A cancel was asked for and no compensation begun: compensate the recorded steps, then mark CANCELLED. */
        CANCEL,
        /** A compensation was begun: finish it, then mark FAILED or CANCELLED as it says. */
        COMPENSATE,
        /** Nothing to do. */
        FINISHED
    }

    public record PlannedStep(String name, PinnedCapability capability, JsonNode input,
                              Optional<PinnedCapability> compensate) {
        public PlannedStep {
            input = input.deepCopy();
        }
    }

    public record PinnedCapability(VibeRef ref, CapabilitySpec spec) {}
}
