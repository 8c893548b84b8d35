package dev.refinery.domain.process;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The builtin capability functions (DESIGN.md, "Processes"). The pure ones are computed here;
 * {@code validate} needs schema lookups and {@code sleep} needs time, so the application runs those,
 * with {@link #sleepMillis} and {@link #validateRequest} to read their inputs.
 *
 * <p>A builtin that fails because of its input fails for good ({@code retryable: false}): the same input
 * fails again. Only {@code fail} with {@code "retryable": true} asks for another try.
 */
public final class Builtins {
    public static final String ECHO = "echo";
    public static final String MERGE = "merge";
    public static final String PICK = "pick";
    public static final String TEMPLATE = "template";
    public static final String VALIDATE = "validate";
    public static final String FAIL = "fail";
    public static final String SLEEP = "sleep";

    public static final Set<String> FUNCTIONS = Set.of(ECHO, MERGE, PICK, TEMPLATE, VALIDATE, FAIL, SLEEP);
    public static final Set<String> PURE = Set.of(ECHO, MERGE, PICK, TEMPLATE, FAIL);

    /** The longest {@code sleep}: a day. */
    public static final long MAX_SLEEP_MILLIS = 86_400_000L;

    private Builtins() {}

    /**
     * Runs a pure builtin on {@code input}. An output that would take more than {@code maxOutputBytes} (of compact
     * JSON) fails the step for good, and is not built past that: {@code template} and {@code pick} can repeat a
     * value as often as they are told.
     */
    public static CapabilityResult apply(String function, JsonNode input, long maxOutputBytes) {
        JsonNode in = input == null ? Json.NODES.nullNode() : input;
        CapabilityResult result = switch (function) {
            case ECHO -> new CapabilityResult.Succeeded(in);
            case MERGE -> merge(in);
            case PICK -> pick(in, maxOutputBytes);
            case TEMPLATE -> template(in, maxOutputBytes);
            case FAIL -> fail(in);
            default -> throw new IllegalArgumentException(function + " is not a pure builtin: " + PURE);
        };
        if (result instanceof CapabilityResult.Succeeded s && JsonSize.exceeds(s.output(), maxOutputBytes)) {
            return tooLarge(function, maxOutputBytes);
        }
        return result;
    }

    private static CapabilityResult tooLarge(String function, long maxOutputBytes) {
        return CapabilityResult.fatal(function + ": the output would be larger than " + maxOutputBytes + " bytes");
    }

    private static CapabilityResult merge(JsonNode input) {
        JsonNode objects = input.path("objects");
        if (!objects.isArray()) return CapabilityResult.fatal("merge: input needs \"objects\": [o1, o2, …]");
        JsonNode merged = Json.object();
        for (int i = 0; i < objects.size(); i++) {
            merged = i == 0 ? objects.get(0).deepCopy() : MergePatch.apply(merged, objects.get(i));
        }
        return new CapabilityResult.Succeeded(merged);
    }

    private static CapabilityResult pick(JsonNode input, long maxOutputBytes) {
        JsonNode pointers = input.path("pointers");
        if (!input.has("from") || !pointers.isObject()) {
            return CapabilityResult.fatal("pick: input needs \"from\" and \"pointers\": {\"name\": \"/a/b\", …}");
        }
        ObjectNode picked = Json.object();
        long left = maxOutputBytes;
        for (Map.Entry<String, JsonNode> e : pointers.properties()) {
            Optional<JsonPointer> pointer = e.getValue().isTextual() ? Json.pointer(e.getValue().textValue()) : Optional.empty();
            if (pointer.isEmpty()) {
                return CapabilityResult.fatal("pick: pointer \"" + e.getKey() + "\" is not a JSON pointer: "
                        + Json.brief(e.getValue(), 100));
            }
            Optional<JsonNode> value = Json.at(input.get("from"), pointer.get());
            if (value.isEmpty()) {
                return CapabilityResult.fatal("pick: \"" + e.getValue().textValue() + "\" (for \"" + e.getKey()
                        + "\") is not in \"from\"");
            }
            left -= JsonSize.bytes(value.get(), Math.max(left, 0)) + e.getKey().length() + 4;
            if (left < 0) return tooLarge(PICK, maxOutputBytes);
            picked.set(e.getKey(), value.get().deepCopy());
        }
        return new CapabilityResult.Succeeded(picked);
    }

    private static CapabilityResult template(JsonNode input, long maxOutputBytes) {
        JsonNode template = input.path("template");
        if (!template.isTextual()) return CapabilityResult.fatal("template: input needs \"template\": \"text with {{/pointer}}\"");
        String text = template.textValue();
        JsonNode from = input.path("from");
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int open = text.indexOf("{{", i);
            if (open < 0) break;
            int close = text.indexOf("}}", open + 2);
            if (close < 0) return CapabilityResult.fatal("template: \"{{\" at " + open + " is never closed by \"}}\"");
            String placeholder = text.substring(open + 2, close).strip();
            Optional<JsonPointer> pointer = Json.pointer(placeholder);
            if (pointer.isEmpty()) {
                return CapabilityResult.fatal("template: {{" + placeholder + "}} does not hold a JSON pointer such as {{/name}}");
            }
            Optional<JsonNode> value = Json.at(from, pointer.get());
            if (value.isEmpty()) return CapabilityResult.fatal("template: {{" + placeholder + "}} is not in \"from\"");
            // a UTF-8 byte per char at least: past the limit in chars is past it in bytes
            long room = maxOutputBytes - out.length() - (open - i);
            if (room < 0 || JsonSize.bytes(value.get(), room) > room + 2) return tooLarge(TEMPLATE, maxOutputBytes);
            out.append(text, i, open).append(value.get().isTextual() ? value.get().textValue() : value.get().toString());
            if (out.length() > maxOutputBytes) return tooLarge(TEMPLATE, maxOutputBytes);
            i = close + 2;
        }
        out.append(text.substring(i));
        return new CapabilityResult.Succeeded(Json.object().put("text", out.toString()));
    }

    private static CapabilityResult fail(JsonNode input) {
        String message = input.path("message").isTextual() && !input.path("message").textValue().isBlank()
                ? input.path("message").textValue() : "failed on purpose";
        return new CapabilityResult.Failed(message, input.path("retryable").asBoolean(false));
    }

    /** How long {@code sleep} sleeps: {@code {"ms": N}}, 0 to {@link #MAX_SLEEP_MILLIS}. */
    public static Optional<Long> sleepMillis(JsonNode input) {
        JsonNode ms = input == null ? Json.NODES.missingNode() : input.path("ms");
        if (!ms.isIntegralNumber() || !ms.canConvertToLong()) return Optional.empty();
        long value = ms.longValue();
        return value >= 0 && value <= MAX_SLEEP_MILLIS ? Optional.of(value) : Optional.empty();
    }

    /** What {@code validate} checks: {@code {"schema": AUG_URI_OR_REF, "value": any}}. */
    public record ValidateRequest(String schema, JsonNode value) {}

    public static Optional<ValidateRequest> validateRequest(JsonNode input) {
        if (input == null || !input.path("schema").isTextual() || !input.has("value")) return Optional.empty();
        return Optional.of(new ValidateRequest(input.get("schema").textValue(), input.get("value").deepCopy()));
    }
}
