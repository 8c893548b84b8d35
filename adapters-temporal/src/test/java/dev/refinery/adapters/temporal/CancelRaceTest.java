package dev.refinery.adapters.temporal;

import dev.refinery.application.port.ProcessEngine;
import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The rule itself, with no engine driving the run: the ledger's calls in the order of the race. */
    @Test
    void aRunWhoseCancelWasAcceptedIsNotCompletedButUndoneAsCancelled() {
        builtin("capabilities/echo", "echo");
        process("processes/still", "{'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo'}], 'result': {}}", "{}");
        ProcessService still = new ProcessService(ledger, new ProcessEngine() {
            @Override
            public void start(UUID sagaId) { }

            @Override
            public void cancel(UUID sagaId) { }
        }, clock, new SchemaResolver(), new SchemaValidator());
        UUID id = started(still.start(new ProcessUseCases.StartProcess(AugUri.parse("aug:/processes/still"), MAIN,
                json("{}"), Optional.empty(), List.of(), Optional.empty(), ROOT)));

        assertInstanceOf(ProcessUseCases.CancelOutcome.CancelRequested.class, still.cancel(id));
        RunUseCases.CompleteOutcome completed = runs.complete(new RunUseCases.CompleteRun(id, Map.of("a", json("{}"))));
        SagaInstance.Compensation undo = runs.begin(new RunUseCases.BeginCompensation(id, "cancelled", false,
                List.of("a"), Map.of()));

        assertEquals(new RunUseCases.CompleteOutcome.Rejected("cancelled"), completed);
        assertTrue(undo.cancel(), "the compensation ends the run CANCELLED");
        assertEquals(SagaStatus.RUNNING, saga(id).status());
        assertEquals(List.of(), heads("runs"));
    }
}
