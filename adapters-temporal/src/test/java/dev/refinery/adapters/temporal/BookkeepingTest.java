package dev.refinery.adapters.temporal;

import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.RefinementKind;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The saga's bookkeeping runs as local activities of the workflow: in its workflow task, with the retry policy it
 * had as regular activities (retried until the ledger answers, a bug not retried). So do pure builtin steps, whose
 * outputs are recorded with the next recording rather than each in a transaction of its own.
 */
class BookkeepingTest extends ProcessTestBed {
    /** What recording a step throws, for the next {@link #recordFailures} calls; then the real use case runs. */
    private Supplier<RuntimeException> recordFailure = () -> new IllegalStateException("unused");
    private final AtomicInteger recordFailures = new AtomicInteger();
    private final AtomicInteger recordCalls = new AtomicInteger();
    /** The steps whose outputs the saga held right after each successful recording of a step. */
    private final List<Set<String>> recordedAfterEach = new CopyOnWriteArrayList<>();

    @Override
    protected RunPorts ports(RunPorts real) {
        RunUseCases.RecordStepOutputUseCase record = command -> {
            recordCalls.incrementAndGet();
            if (recordFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw recordFailure.get();
            boolean recorded = real.recordStep().record(command);
            recordedAfterEach.add(Set.copyOf(saga(command.sagaId()).outputs().keySet()));
            return recorded;
        };
        return new RunPorts(real.loadPlan(), record, real.beginCompensation(), real.recordCompensation(),
                real.completeRun(), real.failRun(), real.markCancelled(), real.executeStep());
    }

    @BeforeEach
    void threeEchoes() {
        builtin("capabilities/echo", "echo");
        process("processes/three", """
                {'steps': [{'name': 'one', 'capability': 'aug:/capabilities/echo', 'input': {'n': {'$from': '/input/n'}}},
                           {'name': 'two', 'capability': 'aug:/capabilities/echo', 'input': {'$from': '/steps/one/output'}},
                           {'name': 'three', 'capability': 'aug:/capabilities/echo', 'input': {'$from': '/steps/two/output'}}],
                 'result': {'$from': '/steps/three/output'}}""", "{}");
        // a pure step, a step that is not (sleep needs time: a regular activity), a pure step
        builtin("capabilities/sleep", "sleep");
        process("processes/mixed", """
                {'steps': [{'name': 'one', 'capability': 'aug:/capabilities/echo', 'input': {'n': {'$from': '/input/n'}}},
                           {'name': 'two', 'capability': 'aug:/capabilities/sleep', 'input': {'ms': 0}},
                           {'name': 'three', 'capability': 'aug:/capabilities/echo', 'input': {'$from': '/steps/one/output'}}],
                 'result': {'$from': '/steps/three/output'}}""", "{}");
    }

    @Test
    void pureStepsAreLocalActivitiesAndTheirOutputsAreRecordedWithTheCompletion() {
        UUID id = started(start("aug:/processes/three", "{'n': 1}"));

        Payloads.RunOutcome outcome = await(id);
        List<HistoryEvent> history = client().fetchHistory(id.toString()).getEvents();

        assertEquals("COMPLETED", outcome.status(), outcome::toString);
        assertEquals(List.of(), activityTasks(history), "no step went through the server as an activity task");
        assertEquals(List.of("Saga.LoadPlan", "Step.Call", "Step.Call", "Step.Call", "Saga.CompleteRun"),
                localActivities(history));
        assertEquals(1, history.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                .count(), "the whole run in one workflow task");
        assertEquals(0, recordCalls.get(), "no step recorded in a transaction of its own");
        SagaInstance saga = saga(id);
        assertEquals(SagaStatus.COMPLETED, saga.status());
        assertEquals(Map.of("one", json("{'n': 1}"), "two", json("{'n': 1}"), "three", json("{'n': 1}")), saga.outputs());
        assertEquals(1, saga.lockVersion(), "the three outputs were recorded with the completion");
    }

    @Test
    void aPureStepsOutputIsRecordedBeforeTheNextStepThatTouchesTheWorld() {
        UUID id = started(start("aug:/processes/mixed", "{'n': 4}"));

        Payloads.RunOutcome outcome = await(id);
        List<HistoryEvent> history = client().fetchHistory(id.toString()).getEvents();

        assertEquals("COMPLETED", outcome.status(), outcome::toString);
        assertEquals(List.of("Step.Call"), activityTasks(history), "only the sleep is an activity task");
        assertEquals(List.of("Saga.LoadPlan", "Step.Call", "Saga.RecordStep", "Saga.RecordStep", "Step.Call",
                "Saga.CompleteRun"), localActivities(history));
        assertEquals(List.of(Set.of("one"), Set.of("one", "two")), recordedAfterEach,
                "the echo's output was recorded before the sleep began, the sleep's right after it");
        assertEquals(Map.of("one", json("{'n': 4}"), "two", json("{'slept': 0}"), "three", json("{'n': 4}")),
                saga(id).outputs());
        assertEquals(3, saga(id).lockVersion(), "two recordings, then the completion");
    }

    @Test
    void aLedgerThatFailsForAWhileIsRetriedUntilItAnswers() {
        recordFailure = () -> new RuntimeException("the ledger is unreachable");
        recordFailures.set(2);

        UUID id = started(start("aug:/processes/mixed", "{'n': 2}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("COMPLETED", outcome.status(), outcome::toString);
        assertEquals(4, recordCalls.get(), "the echo's recording, before the sleep, was tried three times, the sleep's once");
        assertEquals(json("{'n': 2}"), saga(id).outputs().get("one"));
        assertEquals(json("{'n': 2}"), saga(id).outputs().get("three"));
        assertEquals(1, refinements(RefinementKind.PROCESS).size());
    }

    @Test
    void aBugInTheBookkeepingIsNotRetriedAndFailsTheRun() {
        recordFailure = () -> new IllegalArgumentException("process has no step two");
        recordFailures.set(Integer.MAX_VALUE);

        UUID id = started(start("aug:/processes/mixed", "{'n': 3}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals(1, recordCalls.get(), "not retried");
        assertEquals(SagaStatus.FAILED, saga(id).status());
        assertTrue(outcome.error().startsWith("the run broke off: ") && outcome.error().contains("Saga.RecordStep"),
                outcome.error());
        assertEquals(Optional.empty(), saga(id).resultRef());
    }

    private static List<String> activityTasks(List<HistoryEvent> history) {
        return history.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList();
    }

    private static List<String> localActivities(List<HistoryEvent> history) {
        return history.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                        && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity"))
                .map(BookkeepingTest::localActivityType).toList();
    }

    /** The activity type a local activity marker records. */
    private static String localActivityType(HistoryEvent marker) {
        io.temporal.api.common.v1.Payloads type = marker.getMarkerRecordedEventAttributes().getDetailsOrThrow("type");
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(type), String.class, String.class);
    }
}
