package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.VibeRef;

import java.util.LinkedHashSet;
import java.util.List;
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
}
