package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.VibeRef;

import java.util.LinkedHashMap;
import java.util.Map;

/** Placeholder until the schema package lands: the stamped schemas of a root and its transitive dependencies. */
public record SchemaClosure(VibeRef root, Map<VibeRef, JsonNode> schemas) {
    public Map<VibeRef, JsonNode> dependencies() {
        Map<VibeRef, JsonNode> d = new LinkedHashMap<>(schemas);
        d.remove(root);
        return d;
    }
}
