package dev.refinery.domain.process;

import dev.refinery.domain.Violation;

import java.util.List;

/** What parsing a JSON document into a value gives: the value, or every violation found (JSON pointers into the document). */
public sealed interface Parsed<T> {

    record Valid<T>(T value) implements Parsed<T> {
        public Valid {
            if (value == null) throw new IllegalArgumentException("a valid parse has a value");
        }
    }

    record Invalid<T>(List<Violation> violations) implements Parsed<T> {
        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) throw new IllegalArgumentException("an invalid parse has at least one violation");
        }
    }

    /** The value when {@code violations} is empty, else the violations. */
    static <T> Parsed<T> of(List<Violation> violations, java.util.function.Supplier<T> value) {
        return violations.isEmpty() ? new Valid<>(value.get()) : new Invalid<>(violations);
    }

    /** The value, or an {@link IllegalStateException} listing the violations: for callers that checked before. */
    default T orElseThrow() {
        return switch (this) {
            case Valid<T> v -> v.value();
            case Invalid<T> i -> throw new IllegalStateException("invalid: " + i.violations());
        };
    }
}
