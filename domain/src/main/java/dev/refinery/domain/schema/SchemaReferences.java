package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.VibeRef;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The vibes a stamped schema references directly: its {@code schemaRefs}. */
public final class SchemaReferences {
    private SchemaReferences() {}

    /**
     * The distinct {@code $refResolved} values of a stamped schema, in document order.
     *
     * @throws IllegalArgumentException when an aug reference has no well-formed {@code $refResolved},
     *                                  i.e. the schema was never stamped
     */
    public static List<VibeRef> of(JsonNode stampedSchema) {
        Set<VibeRef> refs = new LinkedHashSet<>();
        SchemaTree.forEachObject(stampedSchema, (pointer, object, augReference) -> {
            if (augReference) refs.add(SchemaTree.resolvedRef(object, pointer));
        });
        return List.copyOf(refs);
    }

    /**
     * The distinct references of a stamped schema, in document order, each with whether it is
     * pinned. A reference object is pinned when it names an exact revision ({@code $refOriginal},
     * or an {@code aug:} {@code $ref} with {@code ?N}, or only a {@code $refResolved}); it is floating
     * when its {@code $ref} has no revision. A target referenced both ways is floating: it would
     * move on the next refine.
     */
    public static Map<VibeRef, Boolean> pinning(JsonNode stampedSchema) {
        Map<VibeRef, Boolean> pinned = new LinkedHashMap<>();
        SchemaTree.forEachObject(stampedSchema, (pointer, object, augReference) -> {
            if (augReference) {
                pinned.merge(SchemaTree.resolvedRef(object, pointer), isPinned(object), Boolean::logicalAnd);
            }
        });
        return pinned;
    }

    private static boolean isPinned(com.fasterxml.jackson.databind.node.ObjectNode reference) {
        if (reference.has(SchemaTree.REF_ORIGINAL)) return true;
        JsonNode ref = reference.get(SchemaTree.REF);
        if (ref == null || !ref.isTextual() || !dev.refinery.domain.AugUri.looksLikeAugUri(ref.textValue())) return true;
        try {
            return dev.refinery.domain.AugUri.parse(ref.textValue()).isPinned();
        } catch (dev.refinery.domain.MalformedTextException e) {
            return true;
        }
    }
}
