package dev.refinery.adapters.temporal;

import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.schema.SchemaResolver;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The embedded server forgets everything when Refinery stops: a run begun on one Temporal server (which
 * recorded its first step, then vanished) goes on from that step on the next one, after resume.
 */
class ResumeTest extends ProcessTestBed {

    @Test
    void aRunningSagaResumesFromItsRecordedStepOnAFreshServer() {
        capability("capabilities/remote-score", "{'executor': 'http', 'url': '" + http.url("/score") + "'}");
        builtin("capabilities/echo", "echo");
        process("processes/resumable", """
                {'steps': [{'name': 'first', 'capability': 'aug:/capabilities/remote-score'},
                           {'name': 'second', 'capability': 'aug:/capabilities/echo', 'input': {'$from': '/steps/first/output'}}],
                 'result': {'$from': '/steps/second/output'}}""", "{}");
        UUID id;
        try (TestWorkflowEnvironment lost = TestWorkflowEnvironment.newInstance()) {
            lost.start();
            ProcessService before = new ProcessService(ledger, new TemporalProcessEngine(lost.getWorkflowClient(),
                    TemporalWorkerHost.DEFAULT_TASK_QUEUE), clock, new SchemaResolver(), new SchemaValidator());
            id = assertInstanceOf(ProcessUseCases.StartOutcome.Started.class, before.start(new ProcessUseCases.StartProcess(
                    AugUri.parse("aug:/processes/resumable"), MAIN, json("{'name': 'Ada'}"), Optional.empty(), List.of(),
                    Optional.empty(), ROOT))).saga().id();
            // what the lost server's worker did before the crash
            runs.record(new RunUseCases.RecordStepOutput(id, "first", json("{'score': 3}")));
        }

        int resumed = processes.resumeRunning();
        Payloads.RunOutcome outcome = await(id);

        assertEquals(1, resumed);
        assertEquals("COMPLETED", outcome.status());
        assertEquals(List.of(), http.calls, "the recorded step is not run again");
        assertEquals(SagaStatus.COMPLETED, saga(id).status());
        assertEquals(1, refinements(RefinementKind.PROCESS).size());
        assertEquals(0, processes.resumeRunning(), "nothing is left running");
    }

    @Test
    void resumingARunThatIsExecutingStartsNothingNew() {
        builtin("capabilities/sleep", "sleep");
        process("processes/nap", """
                {'steps': [{'name': 'nap', 'capability': 'aug:/capabilities/sleep', 'input': {'ms': 300}}],
                 'result': {'$from': '/steps/nap/output'}}""", "{}");
        UUID id = started(start("aug:/processes/nap", "{}"));

        assertEquals(1, processes.resumeRunning(), "handed over, and Temporal refuses the duplicate start");
        Payloads.RunOutcome outcome = await(id);

        assertEquals("COMPLETED", outcome.status());
        assertEquals(1, refinements(RefinementKind.PROCESS).size());
    }
}
