package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.Refinement;

/** Refinements as the API answers them; {@code kind} is lower-case ({@code refine}, {@code merge}, {@code process}). */
final class RefinementJson {
    private RefinementJson() {}

    static ObjectNode refinement(Refinement r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", r.id());
        o.put("branch", r.branch().value());
        o.put("authorRef", r.authorRef().toString());
        o.put("kind", r.kind().wireName());
        o.set("targetRefs", VibeJson.refs(r.targetRefs()));
        o.set("instructionRefs", VibeJson.refs(r.instructionRefs()));
        o.set("budgetRefs", VibeJson.refs(r.budgetRefs()));
        o.set("outputRefs", VibeJson.refs(r.outputRefs()));
        o.put("message", r.message());
        o.put("idempotencyKey", r.idempotencyKey().orElse(null));
        o.put("createdAt", r.createdAt().toString());
        return o;
    }
}
