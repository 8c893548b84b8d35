package dev.refinery.adapters.temporal;


import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import io.temporal.api.enums.v1.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole runs through the workflow, its activities and the ledger, on a time-skipping test environment. */
class ProcessWorkflowTest extends ProcessTestBed {

    private Vibe undo() {
        return capability("capabilities/undo", "{'executor': 'http', 'url': '" + http.url("/undo") + "'}");
    }

    private List<String> undoneSteps() {
        return http.callsTo("/undo").stream().map(c -> c.idempotencyKey().substring(c.idempotencyKey().lastIndexOf('/') + 1))
                .toList();
    }

    @Test
    void aThreeStepRunWritesExactlyOneResultVibeAndOneProcessRefinement() {
        Vibe pick = builtin("capabilities/pick", "pick");
        Vibe merge = builtin("capabilities/merge", "merge");
        Vibe greet = builtin("capabilities/greet", "template");
        Vibe budget = budget("budgets/roomy", "{'maxSteps': 10, 'maxDuration': 'PT1H', 'maxAttempts': 3}");
        Vibe onboard = process("processes/onboard", """
                {'steps': [
                   {'name': 'names', 'capability': 'aug:/capabilities/pick',
                    'input': {'from': {'$from': '/input'}, 'pointers': {'name': '/user/name'}}},
                   {'name': 'profile', 'capability': 'aug:/capabilities/merge',
                    'input': {'objects': [{'$from': '/steps/names/output'}, {'role': 'engineer'}]}},
                   {'name': 'greet', 'capability': 'aug:/capabilities/greet',
                    'input': {'template': 'Hi {{/name}} ({{/role}})', 'from': {'$from': '/steps/profile/output'}}}],
                 'result': {'greeting': {'$from': '/steps/greet/output/text'}, 'profile': {'$from': '/steps/profile/output'}},
                 'resultSchema': {'type': 'object', 'required': ['greeting']}}""",
                "{'type': 'object', 'required': ['user'], 'properties': {'user': {'type': 'object', 'required': ['name']}}}",
                "{'user': {'name': 'Example'}}");

        UUID id = started(start("aug:/processes/onboard", "{'user': {'name': 'Ada'}}", "aug:/budgets/roomy"));
        Payloads.RunOutcome outcome = await(id);

        VibeRef resultRef = VibeRef.of("main", "runs/processes/onboard/" + id, 1);
        assertEquals(new Payloads.RunOutcome("COMPLETED", resultRef.toString(), null), outcome);
        Vibe result = ledger.read(tx -> tx.vibe(resultRef)).orElseThrow();
        assertEquals(Kind.RECORD, result.kind());
        assertEquals(ROOT, result.authorRef());
        assertEquals(json("{'greeting': 'Hi Ada (engineer)', 'profile': {'name': 'Ada', 'role': 'engineer'}}"),
                result.solution());
        assertEquals(json("{'process': '" + onboard.ref() + "', 'run': '" + id + "', 'input': {'user': {'name': 'Ada'}}}"),
                result.context());
        assertEquals(json("{'type': 'object', 'required': ['greeting']}"), result.schema());

        List<Refinement> processRefinements = refinements(RefinementKind.PROCESS);
        assertEquals(1, processRefinements.size());
        Refinement r = processRefinements.getFirst();
        assertEquals(Optional.of(id.toString()), r.idempotencyKey());
        assertEquals(List.of(budget.ref()), r.budgetRefs());
        assertEquals(List.of(onboard.ref(), pick.ref(), merge.ref(), greet.ref()), r.instructionRefs());
        assertEquals(List.of(resultRef), r.outputRefs());
        assertEquals(1, heads("runs").size());

        SagaInstance saga = saga(id);
        assertEquals(SagaStatus.COMPLETED, saga.status());
        assertEquals("completed", saga.currentState());
        assertEquals(Optional.of(resultRef), saga.resultRef());
        assertEquals(List.of("names", "profile", "greet"), List.copyOf(saga.outputs().keySet()));
        assertEquals(json("{'text': 'Hi Ada (engineer)'}"), saga.outputs().get("greet"));
        assertEquals(1, saga.lockVersion(), "pure builtin steps: their outputs are recorded with the completion");
        assertEquals(id.toString(), saga.correlationId());
    }

    @Test
    void aFailingStepCompensatesTheCompletedStepsInReverseAndMarksTheRunFailed() {
        builtin("capabilities/echo", "echo");
        builtin("capabilities/fail", "fail");
        undo();
        process("processes/doomed", """
                {'steps': [
                   {'name': 'a', 'capability': 'aug:/capabilities/echo', 'input': {'n': 1}, 'compensate': 'aug:/capabilities/undo'},
                   {'name': 'b', 'capability': 'aug:/capabilities/echo', 'input': {'n': 2}, 'compensate': 'aug:/capabilities/undo'},
                   {'name': 'c', 'capability': 'aug:/capabilities/fail', 'input': {'message': 'boom'},
                    'compensate': 'aug:/capabilities/undo'}],
                 'result': {}}""", "{}");

        UUID id = started(start("aug:/processes/doomed", "{}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status());
        assertEquals("step \"c\" failed: boom", outcome.error());
        assertEquals(List.of("b", "a"), undoneSteps(), "completed steps only, in reverse");
        assertEquals(json("{'input': {'n': 2}, 'output': {'n': 2}}"), http.callsTo("/undo").getFirst().body());
        SagaInstance saga = saga(id);
        assertEquals(SagaStatus.FAILED, saga.status());
        assertEquals("failed", saga.currentState());
        assertEquals(Optional.of("step \"c\" failed: boom"), saga.error());
        SagaInstance.Compensation compensation = saga.compensation().orElseThrow();
        assertEquals(List.of("b", "a"), compensation.steps());
        assertEquals(List.of("b", "a"), compensation.done());
        assertEquals(List.of(), refinements(RefinementKind.PROCESS));
        assertEquals(List.of(), heads("runs"));
    }

    @Test
    void cancellingARunCompensatesItsStepsAndMarksItCancelled() throws InterruptedException {
        builtin("capabilities/echo", "echo");
        builtin("capabilities/sleep", "sleep");
        undo();
        process("processes/slow", """
                {'steps': [
                   {'name': 'a', 'capability': 'aug:/capabilities/echo', 'input': {'n': 1}, 'compensate': 'aug:/capabilities/undo'},
                   {'name': 'b', 'capability': 'aug:/capabilities/sleep', 'input': {'ms': 5000}, 'compensate': 'aug:/capabilities/undo'},
                   {'name': 'c', 'capability': 'aug:/capabilities/echo'}],
                 'result': {}}""", "{}");
        UUID id = started(start("aug:/processes/slow", "{}"));
        awaitActivityTask(id);

        ProcessUseCases.CancelOutcome cancel = processes.cancel(id);
        Payloads.RunOutcome outcome = await(id);

        assertInstanceOf(ProcessUseCases.CancelOutcome.CancelRequested.class, cancel);
        assertEquals("CANCELLED", outcome.status());
        SagaInstance saga = saga(id);
        assertEquals(SagaStatus.CANCELLED, saga.status());
        assertEquals("cancelled", saga.currentState());
        assertTrue(saga.cancelRequested());
        assertEquals(List.of("b", "a"), saga.compensation().orElseThrow().done());
        assertEquals(List.of("b", "a"), undoneSteps(), "the cut-off sleep is undone too: its outcome is unknown");
        assertEquals(json("null"), http.callsTo("/undo").getFirst().body().get("output"));
        assertEquals(json("{'input': {'n': 1}, 'output': {'n': 1}}"), http.callsTo("/undo").get(1).body());
        assertEquals(json("{'n': 1}"), saga.outputs().get("a"), "the pure step's output, recorded as the undo began");
        assertInstanceOf(ProcessUseCases.CancelOutcome.AlreadyFinished.class, processes.cancel(id));
    }

    /** Waits for the run's first activity task (its first step that is no pure builtin) to be scheduled. */
    private void awaitActivityTask(UUID id) throws InterruptedException {
        for (int i = 0; i < 200 && activityTasks(id) == 0; i++) Thread.sleep(50);
        assertEquals(1, activityTasks(id));
    }

    private long activityTasks(UUID id) {
        return client().fetchHistory(id.toString()).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).count();
    }

    @Test
    void aRunThatNeedsMoreStepsThanItsBudgetFailsBeforeTheExtraStep() {
        builtin("capabilities/echo", "echo");
        Vibe small = budget("budgets/two-steps", "{'maxSteps': 2}");
        process("processes/long", """
                {'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo'},
                           {'name': 'b', 'capability': 'aug:/capabilities/echo'},
                           {'name': 'c', 'capability': 'aug:/capabilities/echo'}],
                 'result': {}}""", "{}");

        UUID id = started(start("aug:/processes/long", "{'x': 1}", "aug:/budgets/two-steps"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status());
        assertEquals("budget exhausted: maxSteps 2 allows no step 3 (\"c\")", outcome.error());
        SagaInstance saga = saga(id);
        assertEquals(List.of("a", "b"), List.copyOf(saga.outputs().keySet()));
        assertEquals(List.of(small.ref()), saga.budgetRefs());
    }

    @Test
    void aRunPastItsMaxDurationFailsAndCompensates() {
        builtin("capabilities/echo", "echo");
        builtin("capabilities/fail", "fail");
        undo();
        budget("budgets/minute", "{'maxDuration': 'PT1M', 'maxAttempts': 100}");
        process("processes/flaky", """
                {'steps': [
                   {'name': 'a', 'capability': 'aug:/capabilities/echo', 'compensate': 'aug:/capabilities/undo'},
                   {'name': 'flaky', 'capability': 'aug:/capabilities/fail', 'input': {'message': 'not yet', 'retryable': true}}],
                 'result': {}}""", "{}");
        long before = System.nanoTime();

        UUID id = started(start("aug:/processes/flaky", "{}", "aug:/budgets/minute"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status());
        assertEquals("budget exhausted: maxDuration PT1M elapsed during step \"flaky\"", outcome.error());
        assertEquals(List.of("a"), undoneSteps());
        assertTrue(Duration.ofNanos(System.nanoTime() - before).compareTo(Duration.ofSeconds(30)) < 0,
                "time skips over the retries' back-off");
    }

    @Test
    void aStepThatKeepsFailingStopsAtMaxAttempts() {
        builtin("capabilities/fail", "fail");
        budget("budgets/two-tries", "{'maxAttempts': 2}");
        process("processes/flaky", """
                {'steps': [{'name': 'flaky', 'capability': 'aug:/capabilities/fail',
                            'input': {'message': 'still down', 'retryable': true}}],
                 'result': {}}""", "{}");

        UUID id = started(start("aug:/processes/flaky", "{}", "aug:/budgets/two-tries"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("step \"flaky\" failed after 2 attempts (budget exhausted: maxAttempts 2): still down",
                outcome.error());
        assertEquals(SagaStatus.FAILED, saga(id).status());
        assertEquals(0, activityTasks(id), "fail is a pure builtin: a local activity, retried as one");
    }

    @Test
    void aPureStepThatFailsForGoodIsNotRetriedAndTheDefaultLimitIsThreeAttempts() {
        builtin("capabilities/fail", "fail");
        process("processes/broken", """
                {'steps': [{'name': 'broken', 'capability': 'aug:/capabilities/fail', 'input': {'message': 'no'}}],
                 'result': {}}""", "{}");
        process("processes/flaky", """
                {'steps': [{'name': 'flaky', 'capability': 'aug:/capabilities/fail',
                            'input': {'message': 'not now', 'retryable': true}}],
                 'result': {}}""", "{}");

        Payloads.RunOutcome broken = await(started(start("aug:/processes/broken", "{}")));
        Payloads.RunOutcome flaky = await(started(start("aug:/processes/flaky", "{}")));

        assertEquals(new Payloads.RunOutcome("FAILED", null, "step \"broken\" failed: no"), broken);
        assertEquals(new Payloads.RunOutcome("FAILED", null, "step \"flaky\" failed after 3 attempts: not now"), flaky);
    }

    @Test
    void aTemporalActivityServedByAnotherWorkerAndAnHttpCapabilityRunAsSteps() {
        builtin("capabilities/merge", "merge");
        capability("capabilities/score", "{'executor': 'temporal-activity', 'activityType': 'Score', 'taskQueue': 'scoring'}");
        capability("capabilities/remote-score", "{'executor': 'http', 'url': '" + http.url("/score") + "'}");
        process("processes/score", """
                {'steps': [
                   {'name': 'profile', 'capability': 'aug:/capabilities/merge',
                    'input': {'objects': [{'$from': '/input'}, {'team': 'core'}]}},
                   {'name': 'score', 'capability': 'aug:/capabilities/score',
                    'input': {'profile': {'$from': '/steps/profile/output'}}},
                   {'name': 'remote', 'capability': 'aug:/capabilities/remote-score',
                    'input': {'name': {'$from': '/input/name'}}}],
                 'result': {'local': {'$from': '/steps/score/output/score'}, 'remote': {'$from': '/steps/remote/output/score'}}}""",
                "{}");

        UUID id = started(start("aug:/processes/score", "{'name': 'Grace'}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("COMPLETED", outcome.status(), outcome::toString);
        Vibe result = ledger.read(tx -> tx.vibe(VibeRef.parse(outcome.resultRef()))).orElseThrow();
        assertEquals(json("{'local': 50, 'remote': 5}"), result.solution());
        assertEquals(List.of(json("{'profile': {'name': 'Grace', 'team': 'core'}}")), scoring.calls);
        LocalHttpCapability.Call call = http.callsTo("/score").getFirst();
        assertEquals(json("{'name': 'Grace'}"), call.body());
        assertEquals(id + "/step/remote", call.idempotencyKey());
    }

    @Test
    void anHttpCapabilityOffTheAllowListFailsWithoutACall() {
        capability("capabilities/elsewhere", "{'executor': 'http', 'url': 'http://localhost:" + http.port() + "/score'}");
        process("processes/out", """
                {'steps': [{'name': 'call', 'capability': 'aug:/capabilities/elsewhere'}], 'result': {}}""", "{}");

        UUID id = started(start("aug:/processes/out", "{'name': 'x'}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status());
        assertEquals("step \"call\" failed: http: http://localhost:" + http.port() + " is not on the allow-list",
                outcome.error());
        assertEquals(List.of(), http.calls);
    }

    @Test
    void aStepInputThatReadsNothingFailsTheRunWithThePointer() {
        builtin("capabilities/echo", "echo");
        undo();
        process("processes/gap", """
                {'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo', 'input': {'x': 1},
                            'compensate': 'aug:/capabilities/undo'},
                           {'name': 'b', 'capability': 'aug:/capabilities/echo',
                            'input': {'y': {'$from': '/steps/a/output/y'}}}],
                 'result': {}}""", "{}");

        UUID id = started(start("aug:/processes/gap", "{}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("step \"b\": $from \"/steps/a/output/y\" at /y points at nothing in the run document",
                outcome.error());
        assertEquals(List.of("a"), undoneSteps());
    }

    @Test
    void aResultThatBreaksItsSchemaFailsTheRunAndWritesNothing() {
        builtin("capabilities/echo", "echo");
        undo();
        process("processes/bad-result", """
                {'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo', 'compensate': 'aug:/capabilities/undo'}],
                 'result': {'count': {'$from': '/steps/a/output/name'}},
                 'resultSchema': {'type': 'object', 'properties': {'count': {'type': 'integer'}}}}""", "{}");

        UUID id = started(start("aug:/processes/bad-result", "{'name': 'Ada'}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("FAILED", outcome.status());
        assertTrue(outcome.error().startsWith("the result cannot be written: /result/count: "), outcome.error());
        assertEquals(List.of("a"), undoneSteps());
        assertEquals(List.of(), heads("runs"));
    }

    @Test
    void theValidateBuiltinChecksAValueAgainstAVibesSchema() {
        write("schemas/person", Kind.RECORD, "{}", "{'type': 'object', 'required': ['name']}", "{'name': 'x'}");
        builtin("capabilities/validate", "validate");
        process("processes/check", """
                {'steps': [{'name': 'check', 'capability': 'aug:/capabilities/validate',
                            'input': {'schema': 'aug:/schemas/person', 'value': {'$from': '/input'}}}],
                 'result': {'$from': '/steps/check/output'}}""", "{}");

        Payloads.RunOutcome valid = await(started(start("aug:/processes/check", "{'name': 'Ada'}")));
        Payloads.RunOutcome invalid = await(started(start("aug:/processes/check", "{'nom': 'Ada'}")));

        assertEquals("COMPLETED", valid.status());
        assertEquals(json("{'valid': true}"),
                ledger.read(tx -> tx.vibe(VibeRef.parse(valid.resultRef()))).orElseThrow().solution());
        assertEquals("FAILED", invalid.status());
        assertTrue(invalid.error().startsWith("step \"check\" failed: validate: the value breaks aug:/schemas/person: /"),
                invalid.error());
    }

    @Test
    void theCompensationOfATemporalActivityStepGetsItsInputAndOutput() {
        builtin("capabilities/fail", "fail");
        capability("capabilities/score", "{'executor': 'temporal-activity', 'activityType': 'Score', 'taskQueue': 'scoring'}");
        capability("capabilities/unscore", "{'executor': 'temporal-activity', 'activityType': 'Unscore', 'taskQueue': 'scoring'}");
        process("processes/undo-score", """
                {'steps': [{'name': 'score', 'capability': 'aug:/capabilities/score', 'compensate': 'aug:/capabilities/unscore'},
                           {'name': 'stop', 'capability': 'aug:/capabilities/fail'}],
                 'result': {}}""", "{}");

        Payloads.RunOutcome outcome = await(started(start("aug:/processes/undo-score", "{'profile': {'name': 'Ada'}}")));

        assertEquals("FAILED", outcome.status());
        assertEquals(List.of(json("{'input': {'profile': {'name': 'Ada'}}, 'output': {'score': 30}}")), scoring.undone);
        assertNull(outcome.resultRef());
    }

}
