package dev.refinery.domain.process;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Small readers shared by the process parsers. */
final class Json {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A JSON pointer (RFC 6901), or empty when {@code text} is not one. */
    static Optional<JsonPointer> pointer(String text) {
        if (text == null || !(text.isEmpty() || text.startsWith("/"))) return Optional.empty();
        try {
            return Optional.of(JsonPointer.compile(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The value at {@code pointer} in {@code document}, or empty when there is none (JSON null is a value). */
    static Optional<JsonNode> at(JsonNode document, JsonPointer pointer) {
        JsonNode found = document.at(pointer);
        return found.isMissingNode() ? Optional.empty() : Optional.of(found);
    }

    /** An ISO-8601 duration such as {@code PT5M}, positive. */
    static Optional<Duration> positiveDuration(JsonNode node) {
        if (node == null || !node.isTextual()) return Optional.empty();
        try {
            Duration d = Duration.parse(node.textValue());
            return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A whole number from 1 to {@code max}. */
    static Optional<Integer> positiveInt(JsonNode node, int max) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) return Optional.empty();
        int value = node.intValue();
        return value >= 1 && value <= max ? Optional.of(value) : Optional.empty();
    }

    /** How a value reads in a message: compact JSON, at most {@code max} characters. */
    static String brief(JsonNode node, int max) {
        String text = node == null ? "nothing" : node.toString();
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
