package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.refinery.domain.process.RunLimits;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workflow and its activities pass each other: plain records of strings, numbers and JSON trees, so
 * that any Temporal data converter (and any other SDK) reads them. Every activity request carries an
 * idempotency key: the saga id and what the call is for ({@code SAGA/step/enrich}).
 */
public final class Payloads {
    private Payloads() {}

    /** The workflow's input: the saga to run (also its workflow id). */
    public record RunRequest(String sagaId) {}

    /** How the workflow ended: the saga's final status, its result ref or its error. */
    public record RunOutcome(String status, String resultRef, String error) {}

    public record SagaRequest(String idempotencyKey, String sagaId) {}

    /**
     * A run as the workflow needs it ({@link dev.refinery.application.process.RunPlan}). Absent budget bounds are
     * null; {@code compensation} is null until one is begun. The size limits are null in plans recorded before they
     * were (the defaults then apply): {@link #limits()}.
     */
    public record Plan(String sagaId, String process, String branch, String status, String phase, JsonNode input,
                       List<Step> steps, Map<String, JsonNode> outputs, Integer maxSteps, Long maxDurationMillis,
                       Integer maxAttempts, long startedAtMillis, Compensation compensation, String resultRef,
                       String error, Long maxStepInputBytes, Long maxStepOutputBytes, Long maxRunDocumentBytes) {

        RunLimits limits() {
            RunLimits d = RunLimits.DEFAULT;
            return new RunLimits(maxStepInputBytes != null ? maxStepInputBytes : d.maxStepInputBytes(),
                    maxStepOutputBytes != null ? maxStepOutputBytes : d.maxStepOutputBytes(),
                    maxRunDocumentBytes != null ? maxRunDocumentBytes : d.maxRunDocumentBytes());
        }
    }

    /** One step: its capability, its input template, and the capability that undoes it (or null). */
    public record Step(String name, Capability capability, JsonNode input, Capability compensate) {}

    /** A pinned capability: its ref and its {@code context} (the executor spec). */
    public record Capability(String ref, JsonNode spec) {}

    public record Compensation(String reason, boolean cancel, List<String> steps, List<String> done) {}

    /** One call of a builtin or http capability. */
    public record StepRequest(String idempotencyKey, String sagaId, String step, String branch, Capability capability,
                              JsonNode input) {}

    /** {@code unrecorded}: outputs of earlier steps not recorded yet (pure builtin steps'), recorded with this one. */
    public record RecordStepRequest(String idempotencyKey, String sagaId, String step, JsonNode output,
                                    Map<String, JsonNode> unrecorded) {}

    /** {@code unrecorded}: outputs of steps that ran and are not recorded yet, recorded as the compensation begins. */
    public record BeginCompensationRequest(String idempotencyKey, String sagaId, String reason, boolean cancel,
                                           List<String> steps, Map<String, JsonNode> unrecorded) {}

    /** {@code error} is null when the compensation succeeded. */
    public record RecordCompensationRequest(String idempotencyKey, String sagaId, String step, String error) {}

    public record FailRequest(String idempotencyKey, String sagaId, String error) {}

    /**
     * {@code unrecorded}: outputs of steps not recorded yet (the last step's, and those of pure builtin steps since
     * the last recording), recorded with the completion.
     */
    public record CompleteRequest(String idempotencyKey, String sagaId, Map<String, JsonNode> unrecorded) {}

    /** Exactly one field is set: the result ref, the reason no result can be written, or the status it ended in. */
    public record CompleteResult(String resultRef, String rejected, String notRunning) {}

    /** Outputs by step name as the use cases take them: none for null, JSON null for a null payload. */
    static Map<String, JsonNode> outputs(Map<String, JsonNode> outputs) {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        if (outputs != null) outputs.forEach((step, output) -> copy.put(step, orNull(output)));
        return copy;
    }

    /** JSON null travels as a null payload; the run document wants a JSON null. */
    static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.getInstance() : node;
    }
}
