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
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The embedded server forgets everything when Refinery stops: a run begun on one Temporal server (which
 * recorded its first step, then vanished) goes on from that step on the next one, after resume.
 */
class ResumeTest extends ProcessTestBed {
    /** The steps called (a capability's call for each), on whichever server. */
    private final List<String> executed = new CopyOnWriteArrayList<>();

    @Override
    protected RunPorts ports(RunPorts real) {
        return new RunPorts(real.loadPlan(), real.recordStep(), real.beginCompensation(), real.recordCompensation(),
                real.completeRun(), real.failRun(), real.markCancelled(), (call, heartbeat) -> {
                    executed.add(call.step());
                    return real.executeStep().execute(call, heartbeat);
                });
    }

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
    void aRunCutOffMidwayGoesOnFromItsLastRecordingAndCompletesOnce() throws InterruptedException {
        builtin("capabilities/echo", "echo");
        capability("capabilities/remote-score", "{'executor': 'http', 'url': '" + http.url("/score") + "'}");
        builtin("capabilities/sleep", "sleep");
        process("processes/midway", """
                {'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo', 'input': {'name': {'$from': '/input/name'}}},
                           {'name': 'b', 'capability': 'aug:/capabilities/remote-score', 'input': {'$from': '/steps/a/output'}},
                           {'name': 'c', 'capability': 'aug:/capabilities/sleep', 'input': {'ms': 3000}},
                           {'name': 'd', 'capability': 'aug:/capabilities/echo',
                            'input': {'a': {'$from': '/steps/a/output'}, 'b': {'$from': '/steps/b/output'}}}],
                 'result': {'$from': '/steps/d/output'}}""", "{}");
        UUID id;
        try (TestWorkflowEnvironment lost = TestWorkflowEnvironment.newInstance()) {
            TemporalWorkerHost.register(lost::newWorker, TemporalWorkerHost.DEFAULT_TASK_QUEUE, ports(RunPorts.of(runs, steps)));
            lost.start();
            ProcessService before = new ProcessService(ledger, new TemporalProcessEngine(lost.getWorkflowClient(),
                    TemporalWorkerHost.DEFAULT_TASK_QUEUE), clock, new SchemaResolver(), new SchemaValidator());
            id = assertInstanceOf(ProcessUseCases.StartOutcome.Started.class, before.start(new ProcessUseCases.StartProcess(
                    AugUri.parse("aug:/processes/midway"), MAIN, json("{'name': 'Ada'}"), Optional.empty(), List.of(),
                    Optional.empty(), ROOT))).saga().id();
            // the worker and its server go while the sleep runs: b is recorded, and a's output with it
            for (int i = 0; i < 200 && !saga(id).currentState().equals("c"); i++) Thread.sleep(25);
            assertEquals("c", saga(id).currentState());
            assertEquals(java.util.Set.of("a", "b"), saga(id).outputs().keySet());
        }

        int resumed = processes.resumeRunning();
        Payloads.RunOutcome outcome = await(id);

        assertEquals(1, resumed);
        assertEquals("COMPLETED", outcome.status(), outcome::toString);
        assertEquals(json("{'a': {'name': 'Ada'}, 'b': {'score': 3}}"),
                ledger.read(tx -> tx.vibe(dev.refinery.domain.VibeRef.parse(outcome.resultRef()))).orElseThrow().solution());
        assertEquals(1, http.callsTo("/score").size(), "the http step, recorded before the crash, is not called again");
        assertEquals(List.of("a", "b"), executed.subList(0, 2), "before the crash");
        assertEquals(1, executed.stream().filter("a"::equals).count(), "a's output was recorded with b's: not run again");
        assertEquals(1, executed.stream().filter("d"::equals).count());
        assertEquals(1, refinements(RefinementKind.PROCESS).size());
        assertEquals(0, processes.resumeRunning(), "nothing is left running");
    }

    /** Starts a run on a server that then vanishes, after {@code beforeTheCrash} did what its worker did. */
    private UUID startOnALostServer(String process, java.util.function.BiConsumer<ProcessService, UUID> beforeTheCrash) {
        try (TestWorkflowEnvironment lost = TestWorkflowEnvironment.newInstance()) {
            lost.start();
            ProcessService before = new ProcessService(ledger, new TemporalProcessEngine(lost.getWorkflowClient(),
                    TemporalWorkerHost.DEFAULT_TASK_QUEUE), clock, new SchemaResolver(), new SchemaValidator());
            UUID id = assertInstanceOf(ProcessUseCases.StartOutcome.Started.class, before.start(
                    new ProcessUseCases.StartProcess(AugUri.parse(process), MAIN, json("{}"), Optional.empty(),
                            List.of(), Optional.empty(), ROOT))).saga().id();
            beforeTheCrash.accept(before, id);
            return id;
        }
    }

    private void twoUndoableSteps() {
        builtin("capabilities/echo", "echo");
        capability("capabilities/undo", "{'executor': 'http', 'url': '" + http.url("/undo") + "'}");
        process("processes/undoable", """
                {'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo', 'compensate': 'aug:/capabilities/undo'},
                           {'name': 'b', 'capability': 'aug:/capabilities/echo', 'compensate': 'aug:/capabilities/undo'}],
                 'result': {}}""", "{}");
    }

    @Test
    void aCancelAskedForBeforeTheCrashIsCarriedOutAfterResume() {
        twoUndoableSteps();
        UUID id = startOnALostServer("aug:/processes/undoable", (before, run) -> {
            runs.record(new RunUseCases.RecordStepOutput(run, "a", json("{'done': 1}")));
            before.cancel(run);
        });

        processes.resumeRunning();
        Payloads.RunOutcome outcome = await(id);

        assertEquals("CANCELLED", outcome.status());
        assertEquals(1, http.callsTo("/undo").size(), "only the recorded step is undone");
        assertEquals(json("{'input': {}, 'output': {'done': 1}}"), http.callsTo("/undo").getFirst().body());
    }

    @Test
    void aCompensationBegunBeforeTheCrashIsFinishedAfterResume() {
        twoUndoableSteps();
        UUID id = startOnALostServer("aug:/processes/undoable", (before, run) -> {
            runs.record(new RunUseCases.RecordStepOutput(run, "a", json("{'done': 1}")));
            runs.record(new RunUseCases.RecordStepOutput(run, "b", json("{'done': 2}")));
            runs.begin(new RunUseCases.BeginCompensation(run, "the result broke", false, List.of("b", "a")));
            runs.record(new RunUseCases.RecordCompensation(run, "b", Optional.empty()));
        });

        processes.resumeRunning();
        Payloads.RunOutcome outcome = await(id);

        assertEquals(new Payloads.RunOutcome("FAILED", null, "the result broke"), outcome);
        assertEquals(List.of(json("{'input': {}, 'output': {'done': 1}}")),
                http.callsTo("/undo").stream().map(LocalHttpCapability.Call::body).toList(),
                "b was undone before the crash; only a is left");
        assertEquals(List.of("b", "a"), saga(id).compensation().orElseThrow().done());
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
