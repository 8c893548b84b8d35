package dev.refinery.domain.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.Violation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a CAPABILITY vibe runs, read from its {@code context}: {@code {"executor": "builtin", "function": NAME}},
 * {@code {"executor": "temporal-activity", "activityType": T, "taskQueue": Q}} or
 * {@code {"executor": "http", "url": "https://…"}}. Each may carry {@code "timeout": "PT30S"}, the most one
 * attempt may take.
 */
public sealed interface CapabilitySpec {
    String BUILTIN = "builtin";
    String TEMPORAL_ACTIVITY = "temporal-activity";
    String HTTP = "http";

    /** The most one attempt may take; empty for the executor's default. */
    Optional<Duration> timeout();

    /** The context this spec reads from: {@code parse(spec.toJson())} gives the same spec. */
    ObjectNode toJson();

    /** One of the {@link Builtins}, run by Refinery itself. */
    record Builtin(String function, Optional<Duration> timeout) implements CapabilitySpec {
        public Builtin {
            if (!Builtins.FUNCTIONS.contains(function)) throw new IllegalArgumentException("no builtin " + function);
            if (timeout == null) throw new IllegalArgumentException("timeout may be empty, not null");
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = Json.object().put("executor", BUILTIN).put("function", function);
            timeout.ifPresent(t -> json.put("timeout", t.toString()));
            return json;
        }
    }

    /** An activity type on a task queue, served by any worker in any Temporal SDK language. */
    record TemporalActivity(String activityType, String taskQueue, Optional<Duration> timeout) implements CapabilitySpec {
        public TemporalActivity {
            if (!NAME.matcher(activityType == null ? "" : activityType).matches()
                    || !NAME.matcher(taskQueue == null ? "" : taskQueue).matches()) {
                throw new IllegalArgumentException("activityType and taskQueue are names of 1 to 200 visible characters");
            }
            if (timeout == null) throw new IllegalArgumentException("timeout may be empty, not null");
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = Json.object().put("executor", TEMPORAL_ACTIVITY).put("activityType", activityType)
                    .put("taskQueue", taskQueue);
            timeout.ifPresent(t -> json.put("timeout", t.toString()));
            return json;
        }
    }

    /** A POST of the step input as JSON to {@code url}; the JSON answer is the output. */
    record Http(String url, Optional<Duration> timeout) implements CapabilitySpec {
        public Http {
            if (!isHttpUrl(url)) throw new IllegalArgumentException("not an http(s) URL: " + url);
            if (timeout == null) throw new IllegalArgumentException("timeout may be empty, not null");
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = Json.object().put("executor", HTTP).put("url", url);
            timeout.ifPresent(t -> json.put("timeout", t.toString()));
            return json;
        }
    }

    Pattern NAME = Pattern.compile("[\\x21-\\x7E]{1,200}");

    /** Whether {@code url} is an absolute http or https URL with a host (its host is checked when called). */
    static boolean isHttpUrl(String url) {
        if (url == null || url.length() > 2000 || url.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) return false;
        String lower = url.toLowerCase(Locale.ROOT);
        String rest = lower.startsWith("http://") ? url.substring(7) : lower.startsWith("https://") ? url.substring(8) : null;
        return rest != null && !rest.isEmpty() && rest.charAt(0) != '/' && rest.charAt(0) != ':';
    }

    /** Reads a capability vibe's context; violations point into it. */
    static Parsed<CapabilitySpec> parse(JsonNode context) {
        if (context == null || !context.isObject()) {
            return new Parsed.Invalid<>(List.of(new Violation("", "a capability's context is a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        Optional<Duration> timeout = Optional.empty();
        if (context.has("timeout")) {
            timeout = Json.positiveDuration(context.get("timeout"));
            if (timeout.isEmpty()) violations.add(new Violation("/timeout", "must be a positive ISO-8601 duration such as PT30S"));
        }
        JsonNode executor = context.path("executor");
        if (!executor.isTextual()) {
            violations.add(new Violation("/executor", "must be \"" + BUILTIN + "\", \"" + TEMPORAL_ACTIVITY + "\" or \""
                    + HTTP + "\""));
            return new Parsed.Invalid<>(violations);
        }
        Optional<Duration> t = timeout;
        switch (executor.textValue()) {
            case BUILTIN -> {
                String function = context.path("function").asText("");
                if (!context.path("function").isTextual() || !Builtins.FUNCTIONS.contains(function)) {
                    violations.add(new Violation("/function", "must name a builtin function: " + Builtins.FUNCTIONS));
                }
                return Parsed.of(violations, () -> new Builtin(function, t));
            }
            case TEMPORAL_ACTIVITY -> {
                String type = text(context, "activityType", violations);
                String queue = text(context, "taskQueue", violations);
                return Parsed.of(violations, () -> new TemporalActivity(type, queue, t));
            }
            case HTTP -> {
                String url = context.path("url").asText("");
                if (!context.path("url").isTextual() || !isHttpUrl(url)) {
                    violations.add(new Violation("/url", "must be an absolute http:// or https:// URL"));
                }
                return Parsed.of(violations, () -> new Http(url, t));
            }
            default -> {
                violations.add(new Violation("/executor", "\"" + executor.textValue() + "\" is not an executor: use \""
                        + BUILTIN + "\", \"" + TEMPORAL_ACTIVITY + "\" or \"" + HTTP + "\""));
                return new Parsed.Invalid<>(violations);
            }
        }
    }

    private static String text(JsonNode context, String field, List<Violation> violations) {
        JsonNode node = context.path(field);
        if (!node.isTextual() || !NAME.matcher(node.textValue()).matches()) {
            violations.add(new Violation("/" + field, "must be a name of 1 to 200 visible ASCII characters"));
            return "";
        }
        return node.textValue();
    }
}
