package dev.refinery.domain.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.Violation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BinaryOperator;

/**
 * What a run may spend: at most {@code maxSteps} steps, {@code maxDuration} of wall time from its start,
 * {@code maxAttempts} tries of each step. An absent bound does not limit. A budget vibe's solution reads
 * {@code {"maxSteps": 10, "maxDuration": "PT5M", "maxAttempts": 3}}.
 */
public record Budget(Optional<Integer> maxSteps, Optional<Duration> maxDuration, Optional<Integer> maxAttempts) {
    public static final Budget UNBOUNDED = new Budget(Optional.empty(), Optional.empty(), Optional.empty());
    public static final int MAX_STEPS_LIMIT = 10_000;
    public static final int MAX_ATTEMPTS_LIMIT = 1_000;

    public Budget {
        if (maxSteps == null || maxDuration == null || maxAttempts == null) {
            throw new IllegalArgumentException("bounds may be empty, not null");
        }
        maxSteps.ifPresent(n -> { if (n < 1) throw new IllegalArgumentException("maxSteps must be positive"); });
        maxAttempts.ifPresent(n -> { if (n < 1) throw new IllegalArgumentException("maxAttempts must be positive"); });
        maxDuration.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("maxDuration must be positive");
        });
    }

    /** Reads a budget vibe's solution; violations point into it. */
    public static Parsed<Budget> parse(JsonNode solution) {
        List<Violation> violations = new ArrayList<>();
        if (solution == null || !solution.isObject()) {
            return new Parsed.Invalid<>(List.of(new Violation("", "a budget is a JSON object such as "
                    + "{\"maxSteps\": 10, \"maxDuration\": \"PT5M\", \"maxAttempts\": 3}")));
        }
        Optional<Integer> steps = Optional.empty();
        Optional<Duration> duration = Optional.empty();
        Optional<Integer> attempts = Optional.empty();
        if (solution.has("maxSteps")) {
            steps = Json.positiveInt(solution.get("maxSteps"), MAX_STEPS_LIMIT);
            if (steps.isEmpty()) violations.add(new Violation("/maxSteps", "must be a whole number from 1 to " + MAX_STEPS_LIMIT));
        }
        if (solution.has("maxDuration")) {
            duration = Json.positiveDuration(solution.get("maxDuration"));
            if (duration.isEmpty()) violations.add(new Violation("/maxDuration", "must be a positive ISO-8601 duration such as PT5M"));
        }
        if (solution.has("maxAttempts")) {
            attempts = Json.positiveInt(solution.get("maxAttempts"), MAX_ATTEMPTS_LIMIT);
            if (attempts.isEmpty()) violations.add(new Violation("/maxAttempts", "must be a whole number from 1 to " + MAX_ATTEMPTS_LIMIT));
        }
        if (violations.isEmpty() && steps.isEmpty() && duration.isEmpty() && attempts.isEmpty()) {
            violations.add(new Violation("", "a budget bounds at least one of maxSteps, maxDuration, maxAttempts"));
        }
        Budget budget = new Budget(steps, duration, attempts);
        return Parsed.of(violations, () -> budget);
    }

    /** The tightest of both: each bound is the smaller of the two, or whichever is present. */
    public Budget tightest(Budget other) {
        return new Budget(min(maxSteps, other.maxSteps, Math::min),
                min(maxDuration, other.maxDuration, (a, b) -> a.compareTo(b) <= 0 ? a : b),
                min(maxAttempts, other.maxAttempts, Math::min));
    }

    /** The tightest of all; {@link #UNBOUNDED} for none. */
    public static Budget tightest(List<Budget> budgets) {
        return budgets.stream().reduce(UNBOUNDED, Budget::tightest);
    }

    private static <T> Optional<T> min(Optional<T> a, Optional<T> b, BinaryOperator<T> smaller) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return Optional.of(smaller.apply(a.get(), b.get()));
    }

    /** Reads what {@link #toJson()} wrote ({@code {}} is {@link #UNBOUNDED}). */
    public static Budget fromJson(JsonNode json) {
        return json == null || json.isEmpty() ? UNBOUNDED : parse(json).orElseThrow();
    }

    /** The budget as a budget vibe's solution would hold it (absent bounds left out). */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        maxSteps.ifPresent(n -> json.put("maxSteps", n));
        maxDuration.ifPresent(d -> json.put("maxDuration", d.toString()));
        maxAttempts.ifPresent(n -> json.put("maxAttempts", n));
        return json;
    }
}
