package dev.refinery.adapters.temporal;

import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.RunPlan;
import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run's state changes called twice, as retried activities call them: the second call changes nothing. The
 * runs here are started on a task queue no worker serves, so only the test drives them.
 */
class RunIdempotencyTest extends ProcessTestBed {
    private UUID id;

    @BeforeEach
    void startAnUnservedRun() {
        ProcessService unserved = new ProcessService(ledger, new TemporalProcessEngine(client(), "nobody-serves-this"),
                clock, new SchemaResolver(), new SchemaValidator());
        builtin("capabilities/echo", "echo");
        process("processes/two", """
                {'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo'},
                           {'name': 'b', 'capability': 'aug:/capabilities/echo', 'compensate': 'aug:/capabilities/echo'}],
                 'result': {'a': {'$from': '/steps/a/output'}, 'b': {'$from': '/steps/b/output'}}}""", "{}");
        id = assertInstanceOf(ProcessUseCases.StartOutcome.Started.class, unserved.start(new ProcessUseCases.StartProcess(
                AugUri.parse("aug:/processes/two"), MAIN, json("{'x': 1}"), Optional.empty(), List.of(),
                Optional.empty(), ROOT))).saga().id();
    }

    private boolean record(String step, String output) {
        return runs.record(new RunUseCases.RecordStepOutput(id, step, json(output)));
    }

    @Test
    void aRecordedStepIsRecordedOnce() {
        assertTrue(record("a", "{'v': 1}"));
        assertFalse(record("a", "{'v': 2}"));

        SagaInstance saga = saga(id);
        assertEquals(json("{'v': 1}"), saga.outputs().get("a"));
        assertEquals(1, saga.lockVersion());
        assertEquals("b", saga.currentState());
        assertThrows(IllegalArgumentException.class, () -> record("nope", "{}"));
    }

    @Test
    void aStepIsRecordedWithTheEarlierOutputsItCarriesInOneChangeOnce() {
        RunUseCases.RecordStepOutput both = new RunUseCases.RecordStepOutput(id, "b", json("{'v': 2}"),
                Map.of("a", json("{'v': 1}")));

        assertTrue(runs.record(both));
        assertFalse(runs.record(both));
        assertFalse(runs.record(new RunUseCases.RecordStepOutput(id, "b", json("{'v': 3}"), Map.of("a", json("{'v': 4}")))));

        SagaInstance saga = saga(id);
        assertEquals(Map.of("a", json("{'v': 1}"), "b", json("{'v': 2}")), saga.outputs());
        assertEquals(1, saga.lockVersion(), "both outputs in one change");
        assertEquals("writing-result", saga.currentState());
        assertThrows(IllegalArgumentException.class, () -> runs.record(new RunUseCases.RecordStepOutput(id, "b",
                json("{}"), Map.of("nope", json("{}")))));
    }

    @Test
    void theOutputsABeginningCompensationCarriesAreRecordedWithIt() {
        SagaInstance.Compensation begun = runs.begin(new RunUseCases.BeginCompensation(id, "boom", false, List.of("a"),
                Map.of("a", json("{'v': 1}"))));
        runs.begin(new RunUseCases.BeginCompensation(id, "later", false, List.of("a"), Map.of("a", json("{'v': 2}"))));

        assertEquals(List.of("a"), begun.steps());
        SagaInstance saga = saga(id);
        assertEquals(Map.of("a", json("{'v': 1}")), saga.outputs());
        assertEquals("compensating", saga.currentState());
        assertEquals(1, saga.lockVersion(), "the output and the compensation in one change; the repeat changes nothing");
        assertEquals(json("{'v': 1}"), runs.load(id).orElseThrow().outputs().get("a"), "what a restarted undo reads");
    }

    @Test
    void aRetriedCompletionWritesOneResult() {
        record("a", "{'v': 1}");
        record("b", "{'v': 2}");
        assertEquals("writing-result", saga(id).currentState());

        RunUseCases.CompleteOutcome first = runs.complete(RunUseCases.CompleteRun.of(id));
        RunUseCases.CompleteOutcome second = runs.complete(RunUseCases.CompleteRun.of(id));

        assertEquals(first, second);
        RunUseCases.CompleteOutcome.Completed completed = assertInstanceOf(RunUseCases.CompleteOutcome.Completed.class, first);
        assertEquals(1, refinements(RefinementKind.PROCESS).size());
        assertEquals(1, heads("runs").size());
        assertEquals(json("{'a': {'v': 1}, 'b': {'v': 2}}"),
                ledger.read(tx -> tx.vibe(completed.resultRef())).orElseThrow().solution());
        SagaInstance saga = saga(id);
        assertEquals(SagaStatus.COMPLETED, saga.status());
        assertEquals(3, saga.lockVersion());
        assertFalse(runs.fail(id, "too late"), "a finished run stays as it ended");
        assertFalse(runs.markCancelled(id));
        assertFalse(record("a", "{}"));
        assertEquals(SagaStatus.COMPLETED, saga(id).status());
    }

    @Test
    void aClientThatUsedTheRunIdAsItsKeyCannotTakeTheRunsResult() {
        // a client of the starter's own role refines with the run's id as its idempotency key, before the run ends
        RefineOutcome.Written mallory = assertInstanceOf(RefineOutcome.Written.class, refine.refine(new RefineCommand(
                MAIN, ROOT, "mine", Optional.of(id.toString()), List.of(), List.of(), List.of(), false,
                List.of(VibeDraft.of(new VibeId("people/mallory"), Kind.RECORD, json("{}"), json("{}"),
                        json("{'name': 'Mallory'}"))))));
        record("a", "{'v': 1}");
        record("b", "{'v': 2}");

        RunUseCases.CompleteOutcome outcome = runs.complete(RunUseCases.CompleteRun.of(id));

        RunUseCases.CompleteOutcome.Completed completed = assertInstanceOf(RunUseCases.CompleteOutcome.Completed.class, outcome);
        SagaInstance saga = saga(id);
        assertEquals(saga.resultId(), completed.resultRef().id(), "the run's result is at its result id");
        assertEquals(json("{'a': {'v': 1}, 'b': {'v': 2}}"),
                ledger.read(tx -> tx.vibe(completed.resultRef())).orElseThrow().solution());
        assertEquals(1, refinements(RefinementKind.PROCESS).size());
        assertEquals(Optional.of(completed.resultRef()), saga.resultRef());
        assertEquals(List.of(mallory.vibes().getFirst().vibe().ref()),
                mallory.refinement().orElseThrow().outputRefs(), "the client's refinement is its own");
    }

    private RunUseCases.CompleteRun completing(String step, String output) {
        return new RunUseCases.CompleteRun(id, Map.of(step, json(output)));
    }

    @Test
    void aCompletionRecordsTheLastOutputWithTheResultOnce() {
        record("a", "{'v': 1}");

        RunUseCases.CompleteOutcome first = runs.complete(completing("b", "{'v': 2}"));
        RunUseCases.CompleteOutcome second = runs.complete(completing("b", "{'v': 3}"));

        assertEquals(first, second);
        RunUseCases.CompleteOutcome.Completed completed = assertInstanceOf(RunUseCases.CompleteOutcome.Completed.class, first);
        assertEquals(json("{'a': {'v': 1}, 'b': {'v': 2}}"),
                ledger.read(tx -> tx.vibe(completed.resultRef())).orElseThrow().solution());
        SagaInstance saga = saga(id);
        assertEquals(SagaStatus.COMPLETED, saga.status());
        assertEquals(json("{'v': 2}"), saga.outputs().get("b"));
        assertEquals(2, saga.lockVersion(), "one step recorded, then the other with the completion");
        assertEquals(1, refinements(RefinementKind.PROCESS).size());
    }

    @Test
    void aStepRecordedBeforeKeepsItsOutputWhenTheCompletionCarriesItAgain() {
        record("a", "{'v': 1}");
        record("b", "{'v': 2}");

        runs.complete(completing("b", "{'v': 3}"));

        assertEquals(json("{'v': 2}"), saga(id).outputs().get("b"));
        assertEquals(3, saga(id).lockVersion());
    }

    @Test
    void aCompletionThatIsRejectedStillRecordsTheOutputItCarries() {
        RunUseCases.CompleteOutcome outcome = runs.complete(completing("b", "{'v': 2}"));

        assertInstanceOf(RunUseCases.CompleteOutcome.Rejected.class, outcome);
        SagaInstance saga = saga(id);
        assertEquals(SagaStatus.RUNNING, saga.status());
        assertEquals(json("{'v': 2}"), saga.outputs().get("b"));
        assertEquals(1, saga.lockVersion());
        assertEquals(List.of(), heads("runs"));
    }

    @Test
    void aCompletionOfAFinishedRunRecordsNothingAndOfAnUnknownStepIsABug() {
        assertThrows(IllegalArgumentException.class, () -> runs.complete(completing("nope", "{}")));
        assertTrue(runs.fail(id, "gave up"));

        RunUseCases.CompleteOutcome outcome = runs.complete(completing("a", "{'v': 1}"));

        assertEquals(new RunUseCases.CompleteOutcome.NotRunning(SagaStatus.FAILED), outcome);
        assertEquals(Map.of(), saga(id).outputs());
    }

    @Test
    void aResultThatCannotBeEvaluatedIsRejectedAndWritesNothing() {
        record("a", "{'v': 1}");

        RunUseCases.CompleteOutcome outcome = runs.complete(RunUseCases.CompleteRun.of(id));

        assertEquals(new RunUseCases.CompleteOutcome.Rejected("the result cannot be evaluated: $from \"/steps/b/output\" "
                + "at /b points at nothing in the run document"), outcome);
        assertEquals(SagaStatus.RUNNING, saga(id).status());
        assertEquals(List.of(), heads("runs"));
    }

    @Test
    void theFirstCompensationWinsAndEachStepIsUndoneOnce() {
        record("a", "{'v': 1}");
        SagaInstance.Compensation first = runs.begin(new RunUseCases.BeginCompensation(id, "boom", false, List.of("a")));
        SagaInstance.Compensation second = runs.begin(new RunUseCases.BeginCompensation(id, "later", true, List.of("b", "a")));

        assertEquals(first, second);
        assertEquals("boom", second.reason());
        assertTrue(runs.record(new RunUseCases.RecordCompensation(id, "a", Optional.empty())));
        assertFalse(runs.record(new RunUseCases.RecordCompensation(id, "a", Optional.of("again"))));
        assertEquals("compensating", saga(id).currentState());
        RunPlan plan = runs.load(id).orElseThrow();
        assertEquals(RunPlan.Phase.COMPENSATE, plan.phase());
        assertEquals(List.of("a"), plan.compensation().orElseThrow().done());

        assertTrue(runs.fail(id, "boom"));
        assertFalse(runs.fail(id, "boom"));
        assertEquals(RunPlan.Phase.FINISHED, runs.load(id).orElseThrow().phase());
        assertEquals(Optional.of("boom"), saga(id).error());
    }

    @Test
    void aCancelRequestedBeforeTheEngineRunsIsWhatTheRunDoesWhenItResumes() {
        assertInstanceOf(ProcessUseCases.CancelOutcome.CancelRequested.class, processes.cancel(id));
        assertInstanceOf(ProcessUseCases.CancelOutcome.CancelRequested.class, processes.cancel(id), "asking twice is fine");

        assertEquals(RunPlan.Phase.CANCEL, runs.load(id).orElseThrow().phase());
        assertEquals(Optional.empty(), runs.load(UUID.randomUUID()));
    }
}
