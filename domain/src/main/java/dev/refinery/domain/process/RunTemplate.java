package dev.refinery.domain.process;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A step input or a process result: any JSON in which an object {@code {"$from": POINTER}} stands for
 * the value at POINTER in the run document {@code {input, steps: {NAME: {output}}}}. Everything else is
 * taken literally. Evaluating a template is pure: the same template and document give the same value.
 */
public final class RunTemplate {
    public static final String FROM = "$from";

    private RunTemplate() {}

    /** The run document a template reads: {@code {"input": input, "steps": {NAME: {"output": …}}}}, steps in order. */
    public static ObjectNode runDocument(JsonNode input, Map<String, JsonNode> outputs) {
        ObjectNode document = Json.object();
        document.set("input", input == null ? Json.NODES.nullNode() : input.deepCopy());
        ObjectNode steps = document.putObject("steps");
        outputs.forEach((name, output) -> steps.putObject(name).set("output", output.deepCopy()));
        return document;
    }

    /**
     * Checks a template before any run: every {@code $from} object holds only that key, and its pointer is
     * a JSON pointer that starts at {@code /input} or at {@code /steps/NAME} of a step in {@code readableSteps}
     * (the steps that have run before the template is evaluated). Violations point into the template.
     */
    public static List<Violation> check(JsonNode template, Set<String> readableSteps) {
        List<Violation> violations = new ArrayList<>();
        check(template, "", readableSteps, violations);
        return violations;
    }

    private static void check(JsonNode node, String at, Set<String> readableSteps, List<Violation> violations) {
        if (node.isObject() && node.has(FROM)) {
            JsonNode from = node.get(FROM);
            if (node.size() != 1) {
                violations.add(new Violation(at, "a $from object holds nothing but \"$from\""));
            }
            if (!from.isTextual()) {
                violations.add(new Violation(at + "/$from", "must be a JSON pointer string"));
                return;
            }
            Optional<JsonPointer> pointer = Json.pointer(from.textValue());
            if (pointer.isEmpty()) {
                violations.add(new Violation(at + "/$from", "\"" + from.textValue() + "\" is not a JSON pointer"));
                return;
            }
            rootProblem(pointer.get(), readableSteps).ifPresent(p -> violations.add(new Violation(at + "/$from", p)));
            return;
        }
        if (node.isObject()) {
            node.properties().forEach(e -> check(e.getValue(), at + "/" + Violation.escape(e.getKey()), readableSteps,
                    violations));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) check(node.get(i), at + "/" + i, readableSteps, violations);
        }
    }

    private static Optional<String> rootProblem(JsonPointer pointer, Set<String> readableSteps) {
        if (pointer.matches()) return Optional.empty();
        String root = pointer.getMatchingProperty();
        if (root.equals("input")) return Optional.empty();
        if (!root.equals("steps")) {
            return Optional.of("\"" + pointer + "\" must start with /input or /steps/NAME");
        }
        JsonPointer tail = pointer.tail();
        if (tail.matches()) return Optional.empty();
        String step = tail.getMatchingProperty();
        if (!readableSteps.contains(step)) {
            return Optional.of("\"" + pointer + "\" reads step \"" + step
                    + "\", which has not run at that point (readable: " + readableSteps + ")");
        }
        return Optional.empty();
    }

    /**
     * Replaces every {@code $from} object by the value it points at, giving up past {@code maxBytes} (of compact
     * JSON): a template that repeats a {@code $from} of a large value could otherwise grow without bound, and is
     * stopped once it has copied about {@code maxBytes}.
     */
    public static Evaluation evaluate(JsonNode template, JsonNode runDocument, long maxBytes) {
        try {
            Budget budget = new Budget(maxBytes);
            JsonNode value = evaluate(template, "", runDocument, budget);
            if (JsonSize.exceeds(value, maxBytes)) throw new TooLargeValue(new Evaluation.TooLarge(maxBytes));
            return new Evaluation.Value(value);
        } catch (MissingValue m) {
            return m.missing;
        } catch (TooLargeValue t) {
            return t.tooLarge;
        }
    }

    /** The bytes a template's value may still take. */
    private static final class Budget {
        private final long max;
        private long left;

        Budget(long max) {
            this.max = max;
            this.left = max;
        }

        /** Takes the size of {@code node} (or of its punctuation, {@code bytes}) from what is left. */
        void spend(long bytes) {
            left -= bytes;
            if (left < 0) throw new TooLargeValue(new Evaluation.TooLarge(max));
        }

        void spend(JsonNode node) {
            spend(JsonSize.bytes(node, Math.max(left, 0)));
        }
    }

    private static JsonNode evaluate(JsonNode node, String at, JsonNode document, Budget budget) {
        if (node.isObject() && node.has(FROM) && node.get(FROM).isTextual()) {
            String text = node.get(FROM).textValue();
            Optional<JsonNode> value = Json.pointer(text).flatMap(p -> Json.at(document, p));
            if (value.isEmpty()) throw new MissingValue(new Evaluation.Missing(text, at));
            budget.spend(value.get());
            return value.get().deepCopy();
        }
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            budget.spend(2);
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                budget.spend(JsonSize.bytes(Json.NODES.textNode(e.getKey()), Long.MAX_VALUE) + (copy.isEmpty() ? 1 : 2));
                copy.set(e.getKey(), evaluate(e.getValue(), at + "/" + Violation.escape(e.getKey()), document, budget));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.NODES.arrayNode();
            budget.spend(2);
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) budget.spend(1);
                copy.add(evaluate(node.get(i), at + "/" + i, document, budget));
            }
            return copy;
        }
        budget.spend(node);
        return node.deepCopy();
    }

    /** What evaluating a template gives. */
    public sealed interface Evaluation {
        record Value(JsonNode value) implements Evaluation {}

        /** The value would take more than {@code maxBytes}: evaluating stopped there. */
        record TooLarge(long maxBytes) implements Evaluation {
            public String message() {
                return "its value would be larger than " + maxBytes + " bytes";
            }
        }

        /** The run document holds nothing at {@code pointer}, read by the {@code $from} at {@code at} in the template. */
        record Missing(String pointer, String at) implements Evaluation {
            public String message() {
                return "$from \"" + pointer + "\"" + (at.isEmpty() ? "" : " at " + at)
                        + " points at nothing in the run document";
            }
        }
    }

    private static final class TooLargeValue extends RuntimeException {
        private final Evaluation.TooLarge tooLarge;

        TooLargeValue(Evaluation.TooLarge tooLarge) {
            super(null, null, false, false);
            this.tooLarge = tooLarge;
        }
    }

    private static final class MissingValue extends RuntimeException {
        private final Evaluation.Missing missing;

        MissingValue(Evaluation.Missing missing) {
            super(null, null, false, false);
            this.missing = missing;
        }
    }
}
