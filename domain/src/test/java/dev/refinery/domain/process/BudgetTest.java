package dev.refinery.domain.process;

import dev.refinery.domain.Violation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.refinery.domain.process.ProcessJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class BudgetTest {

    @Test
    void parsesAllThreeBounds() {
        Budget b = Budget.parse(json("{'maxSteps': 10, 'maxDuration': 'PT5M', 'maxAttempts': 3}")).orElseThrow();

        assertEquals(new Budget(Optional.of(10), Optional.of(Duration.ofMinutes(5)), Optional.of(3)), b);
        assertEquals(b, Budget.fromJson(b.toJson()));
    }

    @Test
    void rejectsBadBoundsWithPointers() {
        List<Violation> v = ProcessJson.violationsOf(Budget.parse(json("{'maxSteps': 0, 'maxDuration': '5 minutes', 'maxAttempts': 1.5}")));

        assertEquals(List.of("/maxSteps", "/maxDuration", "/maxAttempts"), v.stream().map(Violation::pointer).toList());
    }

    @Test
    void aBudgetBoundsSomething() {
        assertInstanceOf(Parsed.Invalid.class, Budget.parse(json("{}")));
        assertInstanceOf(Parsed.Invalid.class, Budget.parse(json("[]")));
    }

    @Test
    void combiningTakesTheTightestOfEachBound() {
        Budget a = Budget.parse(json("{'maxSteps': 10, 'maxDuration': 'PT5M'}")).orElseThrow();
        Budget b = Budget.parse(json("{'maxSteps': 4, 'maxDuration': 'PT1H', 'maxAttempts': 2}")).orElseThrow();

        assertEquals(new Budget(Optional.of(4), Optional.of(Duration.ofMinutes(5)), Optional.of(2)),
                Budget.tightest(List.of(a, b)));
        assertEquals(Budget.UNBOUNDED, Budget.tightest(List.of()));
    }
}
