package dev.refinery.domain.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.Violation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a PROCESS vibe's {@code context} defines:
 * <pre>{@code
 * {"steps": [{"name": "enrich", "capability": "aug:/capabilities/enrich",
 *             "input": {"user": {"$from": "/input/user"}}, "compensate": "aug:/capabilities/unenrich"}, …],
 *  "result": {"$from": "/steps/score/output"},
 *  "resultSchema": {…}, "budgets": ["aug:/budgets/small"]}
 * }</pre>
 * A step's {@code input} (default: the whole run input) may read the run input and the outputs of the steps
 * before it; {@code result} may read every step. A compensation is called with
 * {@code {"input": STEP_INPUT, "output": STEP_OUTPUT_OR_NULL}}.
 */
public record ProcessDefinition(List<Step> steps, JsonNode result, Optional<JsonNode> resultSchema,
                                List<AugUri> budgets) {
    public static final int MAX_STEPS = 1_000;
    /** A step name: also a path segment of the run document and of JSON pointers. */
    public static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    /**
     * Words a saga's {@code current_state} takes besides step names, so no step may be called so.
     */
    public static final Set<String> RESERVED_STATES = Set.of("writing-result", "compensating", "completed", "failed",
            "cancelled");

    public ProcessDefinition {
        steps = List.copyOf(steps);
        budgets = List.copyOf(budgets);
        result = result.deepCopy();
        resultSchema = resultSchema.map(JsonNode::deepCopy);
        if (steps.isEmpty()) throw new IllegalArgumentException("a process has at least one step");
    }

    /** One step: call {@code capability} with the evaluated {@code input}; undo it with {@code compensate}. */
    public record Step(String name, AugUri capability, JsonNode input, Optional<AugUri> compensate) {
        public Step {
            if (name == null || !STEP_NAME.matcher(name).matches() || RESERVED_STATES.contains(name)) {
                throw new IllegalArgumentException("bad step name: " + name);
            }
            if (capability == null || input == null || compensate == null) {
                throw new IllegalArgumentException("capability and input are required (compensate may be empty)");
            }
            input = input.deepCopy();
        }
    }

    /** The step names in order. */
    public List<String> stepNames() {
        return steps.stream().map(Step::name).toList();
    }

    /** Every capability the process calls, steps and compensations, each once, in order of appearance. */
    public List<AugUri> capabilities() {
        Set<AugUri> all = new LinkedHashSet<>();
        for (Step s : steps) {
            all.add(s.capability());
            s.compensate().ifPresent(all::add);
        }
        return List.copyOf(all);
    }

    /** Reads a process vibe's context; violations point into it. */
    public static Parsed<ProcessDefinition> parse(JsonNode context) {
        if (context == null || !context.isObject()) {
            return new Parsed.Invalid<>(List.of(new Violation("", "a process's context is a JSON object with \"steps\" and \"result\"")));
        }
        List<Violation> violations = new ArrayList<>();
        JsonNode stepsNode = context.path("steps");
        List<Step> steps = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        if (!stepsNode.isArray() || stepsNode.isEmpty() || stepsNode.size() > MAX_STEPS) {
            violations.add(new Violation("/steps", "must be an array of 1 to " + MAX_STEPS + " steps"));
        } else {
            for (int i = 0; i < stepsNode.size(); i++) {
                step(stepsNode.get(i), "/steps/" + i, names, violations).ifPresent(steps::add);
            }
        }
        JsonNode result = context.get("result");
        if (result == null) {
            violations.add(new Violation("/result", "is required: a template such as {\"$from\": \"/steps/LAST/output\"}"));
        } else {
            RunTemplate.check(result, names).forEach(v -> violations.add(v.under("/result")));
        }
        Optional<JsonNode> resultSchema = Optional.ofNullable(context.get("resultSchema"));
        resultSchema.filter(s -> !s.isObject() && !s.isBoolean()).ifPresent(s ->
                violations.add(new Violation("/resultSchema", "must be a JSON Schema (an object or a boolean)")));
        List<AugUri> budgets = new ArrayList<>();
        JsonNode budgetsNode = context.path("budgets");
        if (context.has("budgets") && !budgetsNode.isArray()) {
            violations.add(new Violation("/budgets", "must be an array of aug: URIs of budget vibes"));
        } else {
            for (int i = 0; i < budgetsNode.size(); i++) {
                augUri(budgetsNode.get(i), "/budgets/" + i, violations).ifPresent(budgets::add);
            }
        }
        return Parsed.of(violations, () -> new ProcessDefinition(steps, result, resultSchema, budgets));
    }

    private static Optional<Step> step(JsonNode node, String at, Set<String> earlier, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(at, "a step is an object with \"name\" and \"capability\""));
            return Optional.empty();
        }
        int before = violations.size();
        String name = node.path("name").asText("");
        if (!node.path("name").isTextual() || !STEP_NAME.matcher(name).matches()) {
            violations.add(new Violation(at + "/name", "must be 1 to 100 letters, digits, '_' or '-', starting with a letter or digit"));
        } else if (RESERVED_STATES.contains(name)) {
            violations.add(new Violation(at + "/name", "\"" + name + "\" is reserved for run states: " + RESERVED_STATES));
        } else if (earlier.contains(name)) {
            violations.add(new Violation(at + "/name", "\"" + name + "\" names an earlier step too: step names are unique"));
        }
        Optional<AugUri> capability = augUri(node.get("capability"), at + "/capability", violations);
        Optional<AugUri> compensate = node.has("compensate")
                ? augUri(node.get("compensate"), at + "/compensate", violations) : Optional.empty();
        JsonNode input = node.has("input") ? node.get("input") : Json.object().put(RunTemplate.FROM, "/input");
        RunTemplate.check(input, earlier).forEach(v -> violations.add(v.under(at + "/input")));
        boolean valid = violations.size() == before;
        earlier.add(name);
        return valid ? Optional.of(new Step(name, capability.orElseThrow(), input, compensate)) : Optional.empty();
    }

    private static Optional<AugUri> augUri(JsonNode node, String at, List<Violation> violations) {
        if (node == null || !node.isTextual()) {
            violations.add(new Violation(at, "must be an aug: URI such as \"aug:/capabilities/enrich\""));
            return Optional.empty();
        }
        try {
            return Optional.of(AugUri.parse(node.textValue()));
        } catch (MalformedTextException e) {
            violations.add(new Violation(at, e.getMessage()));
            return Optional.empty();
        }
    }
}
