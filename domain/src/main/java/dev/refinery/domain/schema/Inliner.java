package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.VibeRef;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.refinery.domain.schema.SchemaTree.ID;
import static dev.refinery.domain.schema.SchemaTree.REF;
import static dev.refinery.domain.schema.SchemaTree.REF_ORIGINAL;
import static dev.refinery.domain.schema.SchemaTree.SCHEMA;

/**
 * Builds one inlined view. The result is built top-down with an explicit stack rather than by
 * recursion, because its depth is the product of reference depth and schema depth; each node is
 * counted as it is created, so a diamond-shaped graph fails at the cap instead of after expanding.
 */
final class Inliner {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SchemaClosure closure;
    private final SchemaResolver.Limits limits;
    private final Deque<Fill> pending = new ArrayDeque<>();
    private int nodes;

    /** Fill {@code target}, which sits at {@code pointer} of the result, from {@code source}. */
    private record Fill(JsonNode source, ContainerNode<?> target, String pointer, String placement, int depth) {}

    /**
     * One member of a result object and where it comes from: the schema placed at {@code placement}
     * (which its local refs are relative to), nested {@code depth} references below the root.
     */
    private record Member(String key, JsonNode value, String placement, int depth) {}

    /** One schema of a chain of references whose objects are merged into a single result object. */
    private record Layer(JsonNode schema, String placement, int depth, boolean dependency) {}

    Inliner(SchemaClosure closure, SchemaResolver.Limits limits) {
        this.closure = closure;
        this.limits = limits;
    }

    JsonNode inline() {
        JsonNode result = place(closure.rootSchema(), "", "", 0);
        while (!pending.isEmpty()) {
            fill(pending.pop());
        }
        return result;
    }

    private JsonNode place(JsonNode source, String pointer, String placement, int depth) {
        if (++nodes > limits.maxInlinedNodes()) throw SchemaTooLargeException.tooManyNodes(limits.maxInlinedNodes());
        ContainerNode<?> target;
        if (source.isObject()) {
            target = NODES.objectNode();
        } else if (source.isArray()) {
            target = NODES.arrayNode(source.size());
        } else {
            return source; // value nodes are immutable, sharing one is as good as copying it
        }
        pending.push(new Fill(source, target, pointer, placement, depth));
        return target;
    }

    private void fill(Fill fill) {
        if (fill.target() instanceof ArrayNode array) {
            for (int i = 0; i < fill.source().size(); i++) {
                array.add(place(fill.source().get(i), SchemaTree.child(fill.pointer(), i), fill.placement(), fill.depth()));
            }
            return;
        }
        ObjectNode object = (ObjectNode) fill.target();
        for (Member member : members((ObjectNode) fill.source(), fill.pointer(), fill.placement(), fill.depth())) {
            JsonNode value = member.value();
            if (member.key().equals(REF) && value.isTextual() && SchemaTree.isLocalPointer(value.textValue())) {
                value = NODES.textNode("#" + member.placement() + value.textValue().substring(1));
            }
            String pointer = SchemaTree.child(fill.pointer(), member.key());
            object.set(member.key(), place(value, pointer, member.placement(), member.depth()));
        }
    }

    /**
     * The members of the result object for {@code source}. For an aug reference that is the schema
     * it names (itself inlined, when its top level is a reference too) without its {@code $schema}
     * and {@code $id}, merged with the reference's own members but {@code $ref} and
     * {@code $refOriginal}; the outer object's members win.
     */
    private List<Member> members(ObjectNode source, String pointer, String placement, int depth) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer(source, placement, depth, false));
        JsonNode current = source;
        int currentDepth = depth;
        while (SchemaTree.isAugReference(current)) {
            VibeRef ref = SchemaTree.resolvedRef((ObjectNode) current, pointer);
            currentDepth++;
            if (currentDepth > limits.maxInlineDepth()) {
                throw SchemaTooLargeException.tooDeep(limits.maxInlineDepth(), pointer, ref);
            }
            current = closure.schemas().get(ref);
            layers.add(new Layer(current, pointer, currentDepth, true));
        }

        Map<String, Member> merged = new LinkedHashMap<>();
        for (Layer layer : layers.reversed()) {
            switch (layer.schema()) {
                case ObjectNode object -> {
                    boolean augReference = SchemaTree.isAugReference(object);
                    for (Map.Entry<String, JsonNode> member : object.properties()) {
                        String key = member.getKey();
                        if (augReference && (key.equals(REF) || key.equals(REF_ORIGINAL))) continue;
                        if (layer.dependency() && (key.equals(SCHEMA) || key.equals(ID))) continue;
                        merged.put(key, new Member(key, member.getValue(), layer.placement(), layer.depth()));
                    }
                }
                case JsonNode schema when schema.isBoolean() -> {
                    // an object with the same meaning, so the reference's own members can be merged in
                    if (!schema.booleanValue()) {
                        merged.put("not", new Member("not", NODES.objectNode(), layer.placement(), layer.depth()));
                    }
                }
                case JsonNode schema -> throw new SchemaResolutionException("cannot inline at '" + pointer
                        + "': a referenced schema is " + schema.getNodeType() + ", neither an object nor a boolean");
            }
        }
        return List.copyOf(merged.values());
    }
}
