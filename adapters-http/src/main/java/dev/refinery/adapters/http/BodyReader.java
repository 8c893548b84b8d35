package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.StorableText;
import dev.refinery.domain.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads a JSON request body field by field and collects everything wrong with it, each with its
 * JSON pointer. Shape errors (an unknown field, a wrong JSON type, a missing field) make a 400; values
 * that do not parse as what they name (an id, a ref, a branch name) make a 422.
 */
final class BodyReader {
    private final List<Violation> shape = new ArrayList<>();
    private final List<Violation> values = new ArrayList<>();

    /** The body, which must be an object with no field outside {@code fields}; any other JSON is answered at once. */
    ObjectNode root(JsonNode body, Set<String> fields) {
        Optional<ObjectNode> o = object(body, "", fields);
        if (o.isEmpty()) throwIfAnything();
        return o.orElseThrow();
    }

    /** The object at {@code pointer}, holding no field outside {@code fields}; empty (and noted) otherwise. */
    Optional<ObjectNode> object(JsonNode node, String pointer, Set<String> fields) {
        if (node == null || !node.isObject()) {
            shape.add(new Violation(pointer, "must be a JSON object, not " + typeOf(node)));
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!fields.contains(name)) shape.add(new Violation(at(pointer, name), unknownField(name, fields)));
        }
        return Optional.of((ObjectNode) node);
    }

    private static String unknownField(String name, Set<String> fields) {
        if (name.equals("author") || name.equals("authorRef")) {
            return "is not a field of this request: the author of a write is the caller's role";
        }
        return "is not a field of this request (known: " + String.join(", ", new TreeSet<>(fields)) + ")";
    }

    /** A string field; empty when absent or null. */
    Optional<String> string(ObjectNode o, String pointer, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) {
            shape.add(new Violation(at(pointer, field), "must be a string, not " + typeOf(v)));
            return Optional.empty();
        }
        return Optional.of(v.textValue());
    }

    /**
     * A string the ledger stores as text: one it cannot store as given ({@link StorableText}) is refused here
     * (422 with its pointer) rather than failing or altering the write.
     */
    Optional<String> storableString(ObjectNode o, String pointer, String field) {
        Optional<String> s = string(o, pointer, field);
        Optional<String> problem = s.flatMap(StorableText::problem);
        if (problem.isPresent()) {
            invalid(at(pointer, field), "must not contain " + problem.get());
            return Optional.empty();
        }
        return s;
    }

    Optional<String> requiredString(ObjectNode o, String pointer, String field) {
        if (isAbsent(o, field)) {
            shape.add(new Violation(at(pointer, field), "is required"));
            return Optional.empty();
        }
        return string(o, pointer, field);
    }

    Optional<Boolean> bool(ObjectNode o, String pointer, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isBoolean()) {
            shape.add(new Violation(at(pointer, field), "must be true or false, not " + typeOf(v)));
            return Optional.empty();
        }
        return Optional.of(v.booleanValue());
    }

    /** An array field's elements; empty list when absent or null. */
    List<JsonNode> array(ObjectNode o, String pointer, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) {
            shape.add(new Violation(at(pointer, field), "must be an array, not " + typeOf(v)));
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        v.forEach(items::add);
        return items;
    }

    /** A field that may hold any JSON; absent is JSON null. */
    JsonNode any(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v == null ? NullNode.getInstance() : v;
    }

    /** A string turned into a value by {@code parser}; a parse failure is noted at the field with its reason. */
    <T> Optional<T> parsed(ObjectNode o, String pointer, String field, Function<String, T> parser) {
        return string(o, pointer, field).flatMap(text -> parse(text, at(pointer, field), parser));
    }

    <T> Optional<T> requiredParsed(ObjectNode o, String pointer, String field, Function<String, T> parser) {
        return requiredString(o, pointer, field).flatMap(text -> parse(text, at(pointer, field), parser));
    }

    /** Each element of an array of strings, parsed. */
    <T> List<T> parsedList(ObjectNode o, String pointer, String field, Function<String, T> parser) {
        List<T> parsed = new ArrayList<>();
        List<JsonNode> items = array(o, pointer, field);
        for (int i = 0; i < items.size(); i++) {
            String itemAt = at(pointer, field) + "/" + i;
            JsonNode item = items.get(i);
            if (!item.isTextual()) {
                shape.add(new Violation(itemAt, "must be a string, not " + typeOf(item)));
                continue;
            }
            parse(item.textValue(), itemAt, parser).ifPresent(parsed::add);
        }
        return parsed;
    }

    <T> Optional<T> parse(String text, String pointer, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(text));
        } catch (IllegalArgumentException e) {
            values.add(new Violation(pointer, e.getMessage()));
            return Optional.empty();
        }
    }

    void invalid(String pointer, String message) {
        values.add(new Violation(pointer, message));
    }

    void wrongShape(String pointer, String message) {
        shape.add(new Violation(pointer, message));
    }

    /** Throws the problem of everything noted so far: 400 for any shape error, else 422 for bad values. */
    void throwIfAnything() {
        if (!shape.isEmpty()) {
            List<Violation> all = new ArrayList<>(shape);
            all.addAll(values);
            throw Problem.badRequest("the body does not have the shape this endpoint reads", all);
        }
        if (!values.isEmpty()) throw Problem.invalid("the body holds values that are not valid", values);
    }

    static String at(String pointer, String field) {
        return pointer + "/" + Violation.escape(field);
    }

    private static boolean isAbsent(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull();
    }

    static String typeOf(JsonNode node) {
        if (node == null || node.isNull()) return "null";
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
