package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;

import java.util.Optional;

/** One output of a refine as the caller asks for it; the ledger adds ref, author, digest and time. */
public record VibeDraft(VibeId id, Kind kind, Optional<VibeRef> base, Optional<VibeRef> prototype,
                        JsonNode context, JsonNode schema, JsonNode solution) {
    public VibeDraft {
        if (id == null || kind == null || base == null || prototype == null) {
            throw new IllegalArgumentException("id and kind are required (base and prototype may be empty)");
        }
        context = orEmptyObject(context);
        schema = orEmptyObject(schema);
        solution = solution == null ? JsonNodeFactory.instance.nullNode() : solution.deepCopy();
    }

    /** A draft with neither base nor prototype, the common case. */
    public static VibeDraft of(VibeId id, Kind kind, JsonNode context, JsonNode schema, JsonNode solution) {
        return new VibeDraft(id, kind, Optional.empty(), Optional.empty(), context, schema, solution);
    }

    /** The draft as the API's vibe body: {@code {id, kind, base, prototype, context, schema, solution}}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id.value());
        o.put("kind", kind.name());
        o.put("base", base.map(VibeRef::toString).orElse(null));
        o.put("prototype", prototype.map(VibeRef::toString).orElse(null));
        o.set("context", context);
        o.set("schema", schema);
        o.set("solution", solution);
        return o;
    }

    private static JsonNode orEmptyObject(JsonNode node) {
        return node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node.deepCopy();
    }
}
