package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.process.SagaInstance;

/**
 * Process runs as the API answers them. The saga's {@code context} is internal bookkeeping (pinned capabilities,
 * the combined budget): only the run document {@code {input, steps: {NAME: {output}}}} is shown as
 * {@code context}; what a caller may want of the rest is lifted to named fields.
 */
final class ProcessJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ProcessJson() {}

    /** What a start answers: enough to follow the run. */
    static ObjectNode started(SagaInstance saga) {
        ObjectNode o = JSON.objectNode();
        o.put("id", saga.id().toString());
        o.put("status", saga.status().name());
        o.put("currentState", saga.currentState());
        o.put("correlationId", saga.correlationId());
        return o;
    }

    /** The whole run. */
    static ObjectNode run(SagaInstance saga) {
        ObjectNode o = JSON.objectNode();
        o.put("id", saga.id().toString());
        o.put("process", saga.sagaType().toString());
        o.put("status", saga.status().name());
        o.put("currentState", saga.currentState());
        o.put("correlationId", saga.correlationId());
        o.put("lockVersion", saga.lockVersion());
        ObjectNode context = o.putObject("context");
        context.set("input", saga.input());
        ObjectNode steps = context.putObject("steps");
        saga.outputs().forEach((name, output) -> steps.putObject(name).set("output", output));
        o.put("resultRef", VibeJson.refOrNull(saga.resultRef()));
        o.put("error", saga.error().orElse(null));
        o.put("branch", saga.branch().value());
        o.put("authorRef", saga.author().toString());
        o.put("resultId", saga.resultId().value());
        o.put("idempotencyKey", saga.idempotencyKey().orElse(null));
        o.set("budgetRefs", VibeJson.refs(saga.budgetRefs()));
        o.put("cancelRequested", saga.cancelRequested());
        o.set("compensation", saga.compensation().map(ProcessJson::compensation).orElse(null));
        o.put("createdAt", saga.createdAt().toString());
        o.put("updatedAt", saga.updatedAt().toString());
        return o;
    }

    private static ObjectNode compensation(SagaInstance.Compensation c) {
        ObjectNode o = JSON.objectNode();
        o.put("reason", c.reason());
        o.put("cancel", c.cancel());
        ArrayNode steps = o.putArray("steps");
        c.steps().forEach(steps::add);
        ArrayNode done = o.putArray("done");
        c.done().forEach(done::add);
        ObjectNode errors = o.putObject("errors");
        c.errors().forEach(errors::put);
        return o;
    }
}
