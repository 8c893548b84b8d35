package dev.refinery.adapters.temporal;

import dev.refinery.domain.process.RunLimits;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The limits as configured: here a 10-byte step output and a 300-byte run document. */
class SmallRunLimitsTest extends ProcessTestBed {

    @Override
    protected RunLimits limits() {
        return new RunLimits(1_000, 10, 300);
    }

    @Test
    void anInputLargerThanTheRunDocumentFailsTheRunBeforeAnyStep() {
        builtin("capabilities/echo", "echo");
        process("processes/one", "{'steps': [{'name': 'one', 'capability': 'aug:/capabilities/echo', 'input': {}}], "
                + "'result': {}}", "{}");

        UUID id = started(start("aug:/processes/one", "{'blob': '" + "x".repeat(400) + "'}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status());
        assertEquals("the run document is larger than 300 bytes (refinery.processes.max-run-document-bytes)",
                outcome.error());
        assertEquals(List.of(), saga(id).outputs().keySet().stream().toList());
    }

    @Test
    void anOutsideWorkersOutputPastTheLimitFailsTheRunIsNotKeptAndItsStepIsUndone() {
        capability("capabilities/score", "{'executor': 'temporal-activity', 'activityType': 'Score', 'taskQueue': 'scoring'}");
        capability("capabilities/unscore", "{'executor': 'temporal-activity', 'activityType': 'Unscore', 'taskQueue': 'scoring'}");
        process("processes/score", """
                {'steps': [{'name': 'score', 'capability': 'aug:/capabilities/score', 'input': {'profile': {'name': 'Ada'}},
                            'compensate': 'aug:/capabilities/unscore'}],
                 'result': {}}""", "{}");

        UUID id = started(start("aug:/processes/score", "{}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status());
        assertEquals("step \"score\": its output is larger than 10 bytes (refinery.processes.max-step-output-bytes)",
                outcome.error());
        assertEquals(List.of(), saga(id).outputs().keySet().stream().toList(), "the output is not kept");
        assertEquals(List.of(json("{'input': {'profile': {'name': 'Ada'}}, 'output': null}")), scoring.undone);
    }
}
