package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.read.Page;
import dev.refinery.application.refine.RefinedVibe;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;

/** Vibes as the API answers them: every field of DESIGN.md §1. */
final class VibeJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private VibeJson() {}

    static ObjectNode vibe(Vibe v) {
        ObjectNode o = JSON.objectNode();
        o.put("ref", v.ref().toString());
        o.put("id", v.id().value());
        o.put("branch", v.branch().value());
        ArrayNode branches = o.putArray("branches");
        v.branches().stream().map(BranchName::value).forEach(branches::add);
        o.put("revision", v.revision().value());
        o.put("kind", v.kind().name());
        o.put("authorRef", v.authorRef().toString());
        o.put("prototypeRef", v.prototypeRef().map(VibeRef::toString).orElse(null));
        // a dry run's vibes belong to no refinement yet
        if (v.refinementId() > 0) o.put("refinementId", v.refinementId());
        else o.putNull("refinementId");
        o.set("context", v.context());
        o.set("schema", v.schema());
        o.set("solution", v.solution());
        o.set("schemaRefs", refs(v.schemaRefs()));
        o.put("digest", v.digest().value());
        o.put("createdAt", v.createdAt().toString());
        return o;
    }

    /** A vibe a refine answers with: its fields and {@code unchanged}. */
    static ObjectNode refined(RefinedVibe r) {
        return vibe(r.vibe()).put("unchanged", r.unchanged());
    }

    static ArrayNode refs(Collection<VibeRef> refs) {
        ArrayNode a = JSON.arrayNode();
        refs.forEach(r -> a.add(r.toString()));
        return a;
    }

    /** A JSON string, or JSON null for a null text. */
    static JsonNode text(String text) {
        return text == null ? JSON.nullNode() : JSON.textNode(text);
    }

    static String refOrNull(Optional<VibeRef> ref) {
        return ref.map(VibeRef::toString).orElse(null);
    }

    /** {@code {items, nextCursor}}; {@code nextCursor} is null on the last page. */
    static <T> ObjectNode page(Page<T> page, Function<T, ObjectNode> item) {
        ObjectNode o = JSON.objectNode();
        ArrayNode items = o.putArray("items");
        page.items().forEach(i -> items.add(item.apply(i)));
        o.put("nextCursor", page.nextCursor().orElse(null));
        return o;
    }
}
