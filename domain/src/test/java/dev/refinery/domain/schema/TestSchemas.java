package dev.refinery.domain.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.VibeRef;

/** Schemas for tests, written as JSON with single quotes so they read like the documents they are. */
final class TestSchemas {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestSchemas() {}

    /** Parses JSON written with {@code '} for {@code "} (no test schema needs a literal quote). */
    static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + singleQuoted, e);
        }
    }

    static ObjectNode object(String singleQuoted) {
        return (ObjectNode) json(singleQuoted);
    }

    /** {@code {"$ref": uri}}: a reference as a client writes it. */
    static ObjectNode ref(String uri) {
        return MAPPER.createObjectNode().put("$ref", uri);
    }

    /** A reference as it is stored: {@code {"$ref": "aug:REF", "$refResolved": "REF"}}. */
    static ObjectNode stampedRef(String ref) {
        return ref("aug:" + ref).put("$refResolved", ref);
    }

    /** {@code {"properties": {name: schema, ...}}} from alternating names and schemas. */
    static ObjectNode properties(Object... namesAndSchemas) {
        ObjectNode properties = MAPPER.createObjectNode();
        for (int i = 0; i < namesAndSchemas.length; i += 2) {
            properties.set((String) namesAndSchemas[i], (JsonNode) namesAndSchemas[i + 1]);
        }
        ObjectNode schema = MAPPER.createObjectNode();
        schema.set("properties", properties);
        return schema;
    }

    static VibeRef vibeRef(String text) {
        return VibeRef.parse(text);
    }

    /** Counts the JSON nodes of a tree, the root included. */
    static int size(JsonNode node) {
        int size = 1;
        for (JsonNode child : node) size += size(child);
        return size;
    }
}
