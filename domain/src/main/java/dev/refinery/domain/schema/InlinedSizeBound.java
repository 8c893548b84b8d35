package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.VibeRef;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** See {@link SchemaResolver#inlinedSizeBound}: a walk of the reference graph, each schema counted once. */
final class InlinedSizeBound {
    private final Map<VibeRef, JsonNode> schemas;
    private final long cap;
    private final Map<VibeRef, Long> bounds = new HashMap<>();

    /** A schema's own node count and the targets of its aug references, one entry per reference object. */
    private record Shape(long nodes, List<VibeRef> references) {}

    InlinedSizeBound(Map<VibeRef, JsonNode> schemas, long cap) {
        this.schemas = schemas;
        this.cap = cap;
    }

    OptionalLong of(JsonNode root) {
        Shape shape = shape(root);
        long total = shape.nodes();
        for (VibeRef ref : shape.references()) {
            OptionalLong bound = bound(ref);
            if (bound.isEmpty()) return bound;
            total = add(total, bound.getAsLong());
        }
        return OptionalLong.of(total);
    }

    /** The bound of a dependency, depth first without recursion (reference chains can be long). */
    private OptionalLong bound(VibeRef start) {
        if (bounds.containsKey(start)) return OptionalLong.of(bounds.get(start));
        Map<VibeRef, Shape> onPath = new HashMap<>();
        Deque<VibeRef> path = new ArrayDeque<>();
        path.push(start);
        while (!path.isEmpty()) {
            VibeRef ref = path.peek();
            Shape shape = onPath.get(ref);
            if (shape == null) {
                JsonNode schema = schemas.get(ref);
                if (schema == null) return OptionalLong.empty();
                shape = shape(schema);
                onPath.put(ref, shape);
            }
            VibeRef next = null;
            for (VibeRef target : shape.references()) {
                if (bounds.containsKey(target)) continue;
                if (onPath.containsKey(target)) return OptionalLong.empty(); // a cycle: endless
                next = target;
                break;
            }
            if (next != null) {
                path.push(next);
                continue;
            }
            long total = shape.nodes();
            for (VibeRef target : shape.references()) total = add(total, bounds.get(target));
            bounds.put(ref, total);
            onPath.remove(ref);
            path.pop();
        }
        return OptionalLong.of(bounds.get(start));
    }

    /** a + b, but at most cap + 1 (both are at most that already). */
    private long add(long a, long b) {
        long above = cap == Long.MAX_VALUE ? cap : cap + 1;
        long sum = a + b;
        return sum < 0 || sum > above ? above : sum;
    }

    private Shape shape(JsonNode schema) {
        List<VibeRef> references = new ArrayList<>();
        SchemaTree.forEachObject(schema, (pointer, object, augReference) -> {
            if (augReference) references.add(SchemaTree.resolvedRef(object, pointer));
        });
        return new Shape(nodes(schema), references);
    }

    private long nodes(JsonNode root) {
        long count = 0;
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            count++;
            for (JsonNode child : node) todo.push(child);
        }
        return count;
    }
}
