package dev.refinery.application.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.process.CapabilityResult;
import dev.refinery.domain.process.CapabilitySpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the process engine calls while it runs a saga (Temporal activities delegate here). Every state change
 * locks the saga ({@code SELECT … FOR UPDATE}), checks, writes with {@code lock_version + 1}, and is a no-op
 * when repeated: an activity may run more than once.
 */
public final class RunUseCases {
    private RunUseCases() {}

    /** The run as the engine needs it to start or go on; empty for an unknown saga. */
    @FunctionalInterface
    public interface LoadRunPlanUseCase { Optional<RunPlan> load(UUID sagaId); }

    /**
     * Records a step's output, and with it the outputs the command carries of earlier steps not recorded yet, in
     * one unit of work; outputs recorded before are left as they are.
     *
     * @return whether anything was recorded now (false: recorded before, or the run is finished)
     */
    @FunctionalInterface
    public interface RecordStepOutputUseCase { boolean record(RecordStepOutput command); }

    /**
     * Records that the run is being undone (the first call wins; later ones change nothing), and, unless the run is
     * finished, the outputs the command carries of steps not recorded yet, in the same unit of work.
     *
     * @return the compensation in force
     */
    @FunctionalInterface
    public interface BeginCompensationUseCase { SagaInstance.Compensation begin(BeginCompensation command); }

    /** @return whether it was recorded now */
    @FunctionalInterface
    public interface RecordCompensationUseCase { boolean record(RecordCompensation command); }

    /**
     * Records the outputs the command carries (those of steps not recorded yet, as {@link RecordStepOutputUseCase}
     * would), writes the run's result vibe through refine (idempotency key = saga id) and marks the saga COMPLETED,
     * in one unit of work: one result whatever is retried. When no result can be written the outputs are recorded
     * all the same; when the run is finished nothing changes.
     */
    @FunctionalInterface
    public interface CompleteRunUseCase { CompleteOutcome complete(CompleteRun command); }

    /** Marks the run FAILED with {@code error} unless it is finished already. @return whether it was marked now */
    @FunctionalInterface
    public interface FailRunUseCase { boolean fail(UUID sagaId, String error); }

    /** Marks the run CANCELLED unless it is finished already. @return whether it was marked now */
    @FunctionalInterface
    public interface MarkCancelledUseCase { boolean markCancelled(UUID sagaId); }

    /**
     * Calls a {@code builtin} or {@code http} capability once ({@code temporal-activity} capabilities are called by
     * the engine itself). Long calls ({@code sleep}) call {@code heartbeat} now and then; it throws when the call is
     * to stop.
     */
    @FunctionalInterface
    public interface ExecuteStepUseCase { CapabilityResult execute(StepCall call, Heartbeat heartbeat); }

    @FunctionalInterface
    public interface Heartbeat {
        void beat();
    }

    /**
     * {@code step}'s output; {@code unrecorded}: outputs of earlier steps not recorded yet, by step name (the engine
     * records the outputs of pure builtin steps together, before the next step that touches the world or with the
     * completion, rather than in units of work of their own).
     */
    public record RecordStepOutput(UUID sagaId, String step, JsonNode output, Map<String, JsonNode> unrecorded) {
        public RecordStepOutput {
            if (sagaId == null || step == null || output == null) throw new IllegalArgumentException("all fields are required");
            output = output.deepCopy();
            unrecorded = copyOutputs(unrecorded);
        }

        public RecordStepOutput(UUID sagaId, String step, JsonNode output) {
            this(sagaId, step, output, Map.of());
        }

        /** {@code unrecorded} and then {@code step}'s output. */
        public Map<String, JsonNode> outputs() {
            Map<String, JsonNode> outputs = new LinkedHashMap<>(unrecorded);
            outputs.put(step, output);
            return Collections.unmodifiableMap(outputs);
        }
    }

    /**
     * Completing a run; {@code unrecorded}: outputs of its steps that are not recorded yet, by step name (the engine
     * records its last step's output with the completion rather than in a unit of work of its own).
     */
    public record CompleteRun(UUID sagaId, Map<String, JsonNode> unrecorded) {
        public CompleteRun {
            if (sagaId == null) throw new IllegalArgumentException("all fields are required");
            unrecorded = copyOutputs(unrecorded);
        }

        public static CompleteRun of(UUID sagaId) {
            return new CompleteRun(sagaId, Map.of());
        }
    }

    /**
     * {@code steps}: the steps to compensate, in the order to do it (the reverse of the order they ran);
     * {@code unrecorded}: outputs of steps that ran and are not recorded yet, by step name.
     */
    public record BeginCompensation(UUID sagaId, String reason, boolean cancel, List<String> steps,
                                    Map<String, JsonNode> unrecorded) {
        public BeginCompensation {
            if (sagaId == null || reason == null) throw new IllegalArgumentException("sagaId and reason are required");
            steps = List.copyOf(steps);
            unrecorded = copyOutputs(unrecorded);
        }

        public BeginCompensation(UUID sagaId, String reason, boolean cancel, List<String> steps) {
            this(sagaId, reason, cancel, steps, Map.of());
        }
    }

    private static Map<String, JsonNode> copyOutputs(Map<String, JsonNode> outputs) {
        if (outputs == null) throw new IllegalArgumentException("the outputs are required (they may be none)");
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        outputs.forEach((step, output) -> {
            if (step == null || output == null) throw new IllegalArgumentException("a step and its output are required");
            copy.put(step, output.deepCopy());
        });
        return Collections.unmodifiableMap(copy);
    }

    /** A compensation was tried: done, or failed with {@code error} (it is not tried again either way). */
    public record RecordCompensation(UUID sagaId, String step, Optional<String> error) {
        public RecordCompensation {
            if (sagaId == null || step == null || error == null) {
                throw new IllegalArgumentException("all fields are required (error may be empty)");
            }
        }
    }

    /** One call of a capability for a step (or its compensation) of a run on {@code branch}. */
    public record StepCall(UUID sagaId, String step, BranchName branch, VibeRef capability, CapabilitySpec spec,
                           JsonNode input, String idempotencyKey) {
        public StepCall {
            if (sagaId == null || step == null || branch == null || capability == null || spec == null
                    || idempotencyKey == null) {
                throw new IllegalArgumentException("all fields are required");
            }
            input = input == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : input.deepCopy();
        }
    }

    public sealed interface CompleteOutcome {
        /** The result vibe is written (now or before) and the saga is COMPLETED. */
        record Completed(VibeRef resultRef) implements CompleteOutcome {}

        /**
         * No result can be written (a {@code $from} reads nothing, the result breaks its schema, a cancel was accepted
         * before): the run must be undone; it ends CANCELLED if its cancel was requested, else FAILED.
         */
        record Rejected(String reason) implements CompleteOutcome {}

        /** The saga ended otherwise (FAILED or CANCELLED) before. */
        record NotRunning(SagaStatus status) implements CompleteOutcome {}
    }
}
