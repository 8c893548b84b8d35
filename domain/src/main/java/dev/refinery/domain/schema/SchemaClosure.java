package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.VibeRef;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The stamped schema of a vibe and, transitively through {@code $refResolved}, the stamped schemas
 * of every vibe it references. A closure that exists is complete: every reference in it is a key.
 *
 * @param root    the vibe whose schema this is
 * @param schemas the root's and every dependency's stamped schema, in the order they were found
 *                (the root first); the schemas are copies and must not be changed
 */
public record SchemaClosure(VibeRef root, Map<VibeRef, JsonNode> schemas) {

    public SchemaClosure {
        if (root == null || schemas == null) throw new IllegalArgumentException("root and schemas are required");
        if (!schemas.containsKey(root)) throw new IllegalArgumentException("the closure of " + root + " lacks its schema");
        Map<VibeRef, JsonNode> copy = new LinkedHashMap<>();
        copy.put(root, copy(root, schemas.get(root)));
        schemas.forEach((ref, schema) -> copy.putIfAbsent(ref, copy(ref, schema)));
        for (Map.Entry<VibeRef, JsonNode> entry : copy.entrySet()) {
            for (VibeRef dependency : SchemaReferences.of(entry.getValue())) {
                if (!copy.containsKey(dependency)) {
                    throw new IllegalArgumentException("the closure of " + root + " is incomplete: " + entry.getKey()
                            + " references " + dependency + ", which it lacks");
                }
            }
        }
        schemas = Collections.unmodifiableMap(copy);
    }

    private static JsonNode copy(VibeRef ref, JsonNode schema) {
        if (schema == null) throw new IllegalArgumentException("the schema of " + ref + " is missing");
        return schema.deepCopy();
    }

    /**
     * Walks the references from {@code root}, loading each vibe's stamped schema once.
     *
     * @return empty when the root or any vibe it references, transitively, cannot be loaded
     */
    public static Optional<SchemaClosure> collect(VibeRef root, Function<VibeRef, Optional<JsonNode>> loadStampedSchema) {
        Map<VibeRef, JsonNode> schemas = new LinkedHashMap<>();
        Set<VibeRef> seen = new HashSet<>(Set.of(root));
        Deque<VibeRef> pending = new ArrayDeque<>(Set.of(root));
        while (!pending.isEmpty()) {
            VibeRef next = pending.removeFirst();
            Optional<JsonNode> schema = loadStampedSchema.apply(next);
            if (schema.isEmpty()) return Optional.empty();
            schemas.put(next, schema.get());
            for (VibeRef dependency : SchemaReferences.of(schema.get())) {
                if (seen.add(dependency)) pending.addLast(dependency);
            }
        }
        return Optional.of(new SchemaClosure(root, schemas));
    }

    /** The root's stamped schema. */
    public JsonNode rootSchema() {
        return schemas.get(root);
    }

    /** Every schema but the root's, in the order they were found. */
    public Map<VibeRef, JsonNode> dependencies() {
        Map<VibeRef, JsonNode> dependencies = new LinkedHashMap<>(schemas);
        dependencies.remove(root);
        return Collections.unmodifiableMap(dependencies);
    }
}
