package dev.refinery.adapters.temporal;

import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.RefinementKind;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The saga's bookkeeping runs as local activities of the workflow: in its workflow task, with the retry policy it
 * had as regular activities (retried until the ledger answers, a bug not retried).
 */
class BookkeepingTest extends ProcessTestBed {
    /** What recording a step throws, for the next {@link #recordFailures} calls; then the real use case runs. */
    private Supplier<RuntimeException> recordFailure = () -> new IllegalStateException("unused");
    private final AtomicInteger recordFailures = new AtomicInteger();
    private final AtomicInteger recordCalls = new AtomicInteger();

    @Override
    protected RunPorts ports(RunPorts real) {
        RunUseCases.RecordStepOutputUseCase record = command -> {
            recordCalls.incrementAndGet();
            if (recordFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw recordFailure.get();
            return real.recordStep().record(command);
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
    }

    @Test
    void onlyTheStepsAreActivityTasksAndTheBookkeepingIsRecordedAsLocalActivities() {
        UUID id = started(start("aug:/processes/three", "{'n': 1}"));

        Payloads.RunOutcome outcome = await(id);
        List<HistoryEvent> history = client().fetchHistory(id.toString()).getEvents();

        assertEquals("COMPLETED", outcome.status(), outcome::toString);
        assertEquals(List.of("Step.Call", "Step.Call", "Step.Call"), history.stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList());
        assertEquals(List.of("Saga.LoadPlan", "Saga.RecordStep", "Saga.RecordStep", "Saga.CompleteRun"),
                history.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                        .map(BookkeepingTest::localActivityType).toList());
    }

    @Test
    void aLedgerThatFailsForAWhileIsRetriedUntilItAnswers() {
        recordFailure = () -> new RuntimeException("the ledger is unreachable");
        recordFailures.set(2);

        UUID id = started(start("aug:/processes/three", "{'n': 2}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals("COMPLETED", outcome.status(), outcome::toString);
        assertEquals(4, recordCalls.get(), "the first step's recording was tried three times, the second's once");
        assertEquals(json("{'n': 2}"), saga(id).outputs().get("three"));
        assertEquals(1, refinements(RefinementKind.PROCESS).size());
    }

    @Test
    void aBugInTheBookkeepingIsNotRetriedAndFailsTheRun() {
        recordFailure = () -> new IllegalArgumentException("process has no step one");
        recordFailures.set(Integer.MAX_VALUE);

        UUID id = started(start("aug:/processes/three", "{'n': 3}"));
        Payloads.RunOutcome outcome = await(id);

        assertEquals(1, recordCalls.get(), "not retried");
        assertEquals(SagaStatus.FAILED, saga(id).status());
        assertTrue(outcome.error().startsWith("the run broke off: ") && outcome.error().contains("Saga.RecordStep"),
                outcome.error());
        assertEquals(Optional.empty(), saga(id).resultRef());
    }

    /** The activity type a local activity marker records. */
    private static String localActivityType(HistoryEvent marker) {
        io.temporal.api.common.v1.Payloads type = marker.getMarkerRecordedEventAttributes().getDetailsOrThrow("type");
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(type), String.class, String.class);
    }
}
