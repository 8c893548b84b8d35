package dev.refinery.application.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Digest;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.process.Budget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One run of a process: a row of {@code saga_instances} (seed 003). {@code sagaType} is the pinned process ref,
 * {@code correlationId} the engine's execution id (the saga id), {@code lockVersion} the stored version (the
 * store increments it on every update).
 *
 * <p>{@code context} holds what the run needs to go on after any crash:
 * <pre>{@code
 * {"input": …, "steps": {NAME: {"output": …}},           the run document, as steps complete
 *  "branch": "main", "author": ROLE_REF, "resultId": ID, "idempotencyKey": K?, "requestDigest": DIGEST?,
 *  "budgetRefs": [REF…], "budget": {"maxSteps": …},       the budgets and their tightest combination
 *  "capabilities": {AUG_URI: REF},                        every capability pinned at start
 *  "cancelRequested": true?,
 *  "compensation": {"reason": …, "cancel": bool, "steps": [NAME…], "done": [NAME…], "errors": {NAME: TEXT}?}?,
 *  "resultRef": REF?, "error": TEXT?}
 * }</pre>
 */
public record SagaInstance(UUID id, VibeRef sagaType, String currentState, SagaStatus status, JsonNode context,
                           String correlationId, int lockVersion, Instant createdAt, Instant updatedAt) {

    public SagaInstance {
        if (id == null || sagaType == null || currentState == null || status == null || context == null
                || correlationId == null || createdAt == null || updatedAt == null) {
            throw new IllegalArgumentException("every field of a saga is required");
        }
        if (!context.isObject()) throw new IllegalArgumentException("a saga's context is a JSON object");
        context = context.deepCopy();
    }

    /** A copy: change a saga with {@link #changed}. */
    @Override
    public JsonNode context() {
        return context.deepCopy();
    }

    /** The same saga with a new state, status and context, as of {@code now}; the version stays (the store moves it). */
    public SagaInstance changed(String state, SagaStatus newStatus, Instant now, Consumer<ObjectNode> edit) {
        ObjectNode copy = (ObjectNode) context.deepCopy();
        edit.accept(copy);
        return new SagaInstance(id, sagaType, state, newStatus, copy, correlationId, lockVersion, createdAt, now);
    }

    public JsonNode input() {
        return context.path("input").deepCopy();
    }

    /** The outputs of the completed steps, in the order they completed. */
    public Map<String, JsonNode> outputs() {
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        context.path("steps").properties().forEach(e -> outputs.put(e.getKey(), e.getValue().path("output").deepCopy()));
        return outputs;
    }

    public boolean hasOutput(String step) {
        return context.path("steps").has(step);
    }

    public BranchName branch() {
        return new BranchName(context.path("branch").asText());
    }

    /** The ROLE that started the run, the author of its result. */
    public VibeRef author() {
        return VibeRef.parse(context.path("author").asText());
    }

    public VibeId resultId() {
        return new VibeId(context.path("resultId").asText());
    }

    public Optional<String> idempotencyKey() {
        return text("idempotencyKey");
    }

    /** The digest of the start that carried {@link #idempotencyKey()} (none for runs started before digests were). */
    public Optional<Digest> requestDigest() {
        return text("requestDigest").map(Digest::new);
    }

    public List<VibeRef> budgetRefs() {
        List<VibeRef> refs = new ArrayList<>();
        context.path("budgetRefs").forEach(r -> refs.add(VibeRef.parse(r.asText())));
        return refs;
    }

    public Budget budget() {
        return Budget.fromJson(context.path("budget"));
    }

    /** Each capability URI of the process, as written in it, with the ref it was pinned to at start. */
    public Map<String, VibeRef> capabilities() {
        Map<String, VibeRef> pinned = new LinkedHashMap<>();
        context.path("capabilities").properties().forEach(e -> pinned.put(e.getKey(), VibeRef.parse(e.getValue().asText())));
        return pinned;
    }

    public boolean cancelRequested() {
        return context.path("cancelRequested").asBoolean(false);
    }

    public Optional<Compensation> compensation() {
        JsonNode c = context.get("compensation");
        if (c == null || !c.isObject()) return Optional.empty();
        Map<String, String> errors = new LinkedHashMap<>();
        c.path("errors").properties().forEach(e -> errors.put(e.getKey(), e.getValue().asText()));
        return Optional.of(new Compensation(c.path("reason").asText(), c.path("cancel").asBoolean(false),
                names(c.path("steps")), names(c.path("done")), errors));
    }

    public Optional<VibeRef> resultRef() {
        return text("resultRef").map(VibeRef::parse);
    }

    public Optional<String> error() {
        return text("error");
    }

    private Optional<String> text(String field) {
        JsonNode node = context.get(field);
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return List.copyOf(names);
    }

    /**
     * Undoing a run: why, whether a cancel asked for it (the run ends CANCELLED, else FAILED), the steps to
     * compensate in the order to do it, those tried, and why those that failed did.
     */
    public record Compensation(String reason, boolean cancel, List<String> steps, List<String> done,
                               Map<String, String> errors) {
        public Compensation {
            steps = List.copyOf(steps);
            done = List.copyOf(done);
            errors = Map.copyOf(errors);
        }

        ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("reason", reason).put("cancel", cancel);
            ArrayNode s = json.putArray("steps");
            steps.forEach(s::add);
            ArrayNode d = json.putArray("done");
            done.forEach(d::add);
            if (!errors.isEmpty()) errors.forEach(json.putObject("errors")::put);
            return json;
        }
    }
}
