package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/** JSON text in and out of the database: JSONB travels as text with a cast, arrays as JSON arrays. */
final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database returned malformed JSON", e);
        }
    }

    static List<String> strings(String jsonArray) {
        if (jsonArray == null) return List.of();
        try {
            return MAPPER.readValue(jsonArray, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database returned a malformed array", e);
        }
    }
}
