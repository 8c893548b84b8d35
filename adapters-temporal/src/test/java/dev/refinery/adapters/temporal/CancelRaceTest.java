package dev.refinery.adapters.temporal;

import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.RefinementKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A cancel answered 202 (CancelRequested) never ends COMPLETED: here the cancel comes after the last step ran and
 * just before the result is written, the narrowest window there is.
 */
class CancelRaceTest extends ProcessTestBed {
    private final AtomicReference<ProcessUseCases.CancelOutcome> cancelledJustBefore = new AtomicReference<>();

    @Override
    protected RunPorts ports(RunPorts real) {
        RunUseCases.CompleteRunUseCase complete = command -> {
            cancelledJustBefore.compareAndSet(null, processes.cancel(command.sagaId()));
            return real.completeRun().complete(command);
        };
        return new RunPorts(real.loadPlan(), real.recordStep(), real.beginCompensation(), real.recordCompensation(),
                complete, real.failRun(), real.markCancelled(), real.executeStep());
    }

    @Test
    void aCancelAnsweredCancelRequestedJustBeforeTheResultIsWrittenEndsTheRunCancelled() {
        builtin("capabilities/echo", "echo");
        capability("capabilities/undo", "{'executor': 'http', 'url': '" + http.url("/undo") + "'}");
        process("processes/quick", """
                {'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo', 'input': {'n': 1},
                            'compensate': 'aug:/capabilities/undo'}],
                 'result': {'$from': '/steps/a/output'}}""", "{}");

        UUID id = started(start("aug:/processes/quick", "{}"));
        Payloads.RunOutcome outcome = await(id);

        assertInstanceOf(ProcessUseCases.CancelOutcome.CancelRequested.class, cancelledJustBefore.get(),
                "the cancel was accepted (202)");
        assertEquals("CANCELLED", outcome.status());
        SagaInstance saga = saga(id);
        assertEquals(SagaStatus.CANCELLED, saga.status());
        assertEquals(List.of("a"), saga.compensation().orElseThrow().done(), "the completed step is undone");
        assertEquals(List.of(), refinements(RefinementKind.PROCESS), "no result written");
        assertEquals(List.of(), heads("runs"));
    }
}
