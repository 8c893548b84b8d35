package dev.refinery.adapters.temporal;

import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.RefinementKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's data is capped (1 MiB each by default: a step's input, a step's output, the run document), so a process
 * that amplifies fails with the reason, once, instead of filling the memory; a {@code sleep} is bounded by the run's
 * budget.
 */
class RunLimitsTest extends ProcessTestBed {

    @Test
    void aTemplateThatDoublesItsOutputAtEveryStepFailsTheRunAtTheLimit() {
        builtin("capabilities/template", "template");
        StringBuilder steps = new StringBuilder("[{'name': 's0', 'capability': 'aug:/capabilities/template', "
                + "'input': {'template': '{{/x}}{{/x}}', 'from': {'x': {'$from': '/input/seed'}}}}");
        int doublings = 12; // 1 KiB doubled 12 times is 4 MiB
        for (int i = 1; i < doublings; i++) {
            steps.append(", {'name': 's").append(i).append("', 'capability': 'aug:/capabilities/template', "
                    + "'input': {'template': '{{/x}}{{/x}}', 'from': {'x': {'$from': '/steps/s").append(i - 1)
                    .append("/output/text'}}}}");
        }
        process("processes/doubling", "{'steps': " + steps + "], 'result': {'$from': '/steps/s" + (doublings - 1)
                + "/output'}}", "{}");

        UUID id = started(start("aug:/processes/doubling", "{'seed': '" + "a".repeat(1024) + "'}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status(), () -> "ended " + outcome.status() + " with " + outcome.error());
        assertTrue(outcome.error().contains("larger than 1048576 bytes"), outcome.error());
        assertEquals(SagaStatus.FAILED, saga(id).status());
        assertEquals(List.of(), refinements(RefinementKind.PROCESS), "no result written");
    }

    @Test
    void aResultThatRepeatsAFromPastTheLimitFailsTheRun() {
        builtin("capabilities/echo", "echo");
        StringBuilder result = new StringBuilder("[");
        for (int i = 0; i < 2_000; i++) result.append(i == 0 ? "" : ", ").append("{'$from': '/input/blob'}");
        process("processes/repeat", "{'steps': [{'name': 'one', 'capability': 'aug:/capabilities/echo'}], 'result': "
                + result + "]}", "{}");

        UUID id = started(start("aug:/processes/repeat", "{'blob': '" + "b".repeat(1_000) + "'}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status(), () -> "ended " + outcome.status() + " with " + outcome.error());
        assertEquals("the result cannot be evaluated: its value would be larger than 1048576 bytes", outcome.error());
        assertEquals(List.of(), refinements(RefinementKind.PROCESS));
    }

    @Test
    void aSleepLongerThanWhatIsLeftOfTheBudgetFailsAtOnce() {
        builtin("capabilities/sleep", "sleep");
        budget("budgets/minute", "{'maxDuration': 'PT1M'}");
        process("processes/nap", """
                {'steps': [{'name': 'nap', 'capability': 'aug:/capabilities/sleep', 'input': {'ms': 3600000}}],
                 'result': {}}""", "{}");

        UUID id = started(start("aug:/processes/nap", "{}", "aug:/budgets/minute"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status());
        assertTrue(outcome.error().startsWith("budget exhausted: step \"nap\" would sleep PT1H"), outcome.error());
    }
}
