package dev.refinery.domain;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Checks a property over many generated values. The seed is fixed so a failure reproduces; run with
 * {@code -Drefinery.test.seed=N} to explore other values. Every failure names the seed and the value.
 */
final class Generated {
    static final long SEED = Long.getLong("refinery.test.seed", 0x5EED_2024_0001L);

    private Generated() {}

    static <T> void forAll(int count, Function<Random, T> generator, Consumer<T> property) {
        Random random = new Random(SEED);
        for (int i = 0; i < count; i++) {
            T value = generator.apply(random);
            try {
                property.accept(value);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + SEED + " (-Drefinery.test.seed=" + SEED + "), case #" + i
                        + ", value <" + value + ">: " + e, e);
            }
        }
    }
}
