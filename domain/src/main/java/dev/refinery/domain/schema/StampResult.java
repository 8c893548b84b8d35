package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.List;

/** What stamping a schema gives: the stamped schema, or every reference that could not be resolved. */
public sealed interface StampResult permits StampResult.Stamped, StampResult.Unresolved {

    /**
     * @param schema the schema with {@code $refResolved} on every aug reference
     * @param refs   its distinct {@code $refResolved} values in document order (the vibe's {@code schemaRefs})
     */
    record Stamped(JsonNode schema, List<VibeRef> refs) implements StampResult {
        public Stamped {
            if (schema == null) throw new IllegalArgumentException("schema is required");
            refs = List.copyOf(refs);
        }
    }

    /** @param violations one per reference that is malformed or names nothing, located by JSON pointer into the schema */
    record Unresolved(List<Violation> violations) implements StampResult {
        public Unresolved {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) throw new IllegalArgumentException("an unresolved schema has at least one violation");
        }
    }
}
