package dev.refinery.adapters.temporal;

import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.ProcessUseCases.StartOutcome;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.application.read.Page;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting, listing and cancelling runs: what is refused at the door and what a repeated request gets. */
class ProcessServiceTest extends ProcessTestBed {
    private static final String PERSON = "{'type': 'object', 'required': ['name'], 'properties': {'name': {'type': 'string'}, "
            + "'age': {'type': 'integer', 'minimum': 0}}}";

    private Vibe echoProcess() {
        builtin("capabilities/echo", "echo");
        return process("processes/echo", """
                {'steps': [{'name': 'echo', 'capability': 'aug:/capabilities/echo'}],
                 'result': {'$from': '/steps/echo/output'}}""", PERSON, "{'name': 'Example'}");
    }

    private static List<Violation> violations(StartOutcome outcome) {
        return assertInstanceOf(StartOutcome.Invalid.class, outcome, () -> "expected Invalid, got " + outcome).violations();
    }

    @Test
    void aStartedRunIsRecordedRunningWithItsPinnedProcessAndCapabilities() {
        Vibe process = echoProcess();

        StartOutcome.Started started = assertInstanceOf(StartOutcome.Started.class,
                start("aug:/processes/echo", "{'name': 'Ada'}"));

        SagaInstance saga = started.saga();
        assertEquals(process.ref(), saga.sagaType());
        assertEquals(SagaStatus.RUNNING, saga.status());
        assertEquals("echo", saga.currentState());
        assertEquals(saga.id().toString(), saga.correlationId());
        assertEquals(0, saga.lockVersion());
        assertEquals(json("{'name': 'Ada'}"), saga.input());
        assertEquals(new VibeId("runs/processes/echo/" + saga.id()), saga.resultId());
        assertEquals(ROOT, saga.author());
        assertEquals(VibeRef.of("main", "capabilities/echo", 1), saga.capabilities().get("aug:/capabilities/echo"));
        assertEquals("COMPLETED", await(saga.id()).status());
    }

    @Test
    void anInputThatBreaksTheProcessSchemaIsRefusedWithPointersUnderInput() {
        echoProcess();

        List<Violation> violations = violations(start("aug:/processes/echo", "{'age': -1}"));

        assertEquals(List.of("/input", "/input/age"), violations.stream().map(Violation::pointer).toList());
        assertEquals(List.of(), ledger.read(tx -> tx.sagas().list(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 10)), "nothing is recorded");
    }

    @Test
    void whatIsNotARunnableProcessIsRefused() {
        echoProcess();
        write("records/plain", dev.refinery.domain.Kind.RECORD, "{}", "{}", "{}");
        process("processes/broken", "{'steps': [{'name': 'x', 'capability': 'aug:/capabilities/none'}], 'result': {}}", "{}");
        process("processes/invalid", "{'steps': []}", "{}");

        assertInstanceOf(StartOutcome.NotFound.class, start("aug:/processes/missing", "{}"));
        assertTrue(violations(start("aug:/records/plain", "{}")).getFirst().message().contains("not a PROCESS"));
        assertTrue(violations(start("aug:/processes/broken", "{}")).getFirst().message()
                .contains("calls aug:/capabilities/none, which names no vibe on main"));
        assertEquals(List.of("/process", "/process"), violations(start("aug:/processes/invalid", "{}")).stream()
                .map(Violation::pointer).toList());
        assertTrue(violations(start("aug:/processes/echo", "{'name': 'x'}", "aug:/budgets/none")).getFirst().pointer()
                .equals("/budgets/0"));
    }

    @Test
    void aBudgetVibeMustHoldABudget() {
        echoProcess();
        budget("budgets/odd", "{'maxSteps': 'many'}");

        List<Violation> violations = violations(start("aug:/processes/echo", "{'name': 'x'}", "aug:/budgets/odd"));

        assertEquals("/budgets/0", violations.getFirst().pointer());
        assertTrue(violations.getFirst().message().contains("/solution/maxSteps"), violations::toString);
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheFirstRunAndStartsNothing() {
        echoProcess();
        ProcessUseCases.StartProcess command = new ProcessUseCases.StartProcess(AugUri.parse("aug:/processes/echo"), MAIN,
                json("{'name': 'Ada'}"), Optional.empty(), List.of(), Optional.of("client-key-1"), ROOT);

        SagaInstance first = assertInstanceOf(StartOutcome.Started.class, processes.start(command)).saga();
        await(first.id());
        StartOutcome again = processes.start(command);

        SagaInstance replayed = assertInstanceOf(StartOutcome.Replayed.class, again).saga();
        assertEquals(first.id(), replayed.id());
        assertEquals(SagaStatus.COMPLETED, replayed.status());
        assertEquals(1, ledger.read(tx -> tx.sagas().list(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 10)).size());
        assertEquals(1, heads("runs").size());
    }

    @Test
    void aGivenResultIdNamesTheResultVibe() {
        echoProcess();

        UUID id = started(processes.start(new ProcessUseCases.StartProcess(AugUri.parse("aug:/processes/echo"), MAIN,
                json("{'name': 'Ada'}"), Optional.of(new VibeId("results/ada")), List.of(), Optional.empty(), ROOT)));

        assertEquals("main@results/ada?1", await(id).resultRef());
    }

    @Test
    void runsAreListedByStatusProcessAndStaleness() {
        Vibe process = echoProcess();
        UUID a = started(start("aug:/processes/echo", "{'name': 'a'}"));
        UUID b = started(start("aug:/processes/echo", "{'name': 'b'}"));
        UUID c = started(start("aug:/processes/echo", "{'name': 'c'}"));
        await(a);
        await(b);
        await(c);

        Page<SagaInstance> first = processes.list(new ProcessUseCases.ListProcesses(Optional.of(SagaStatus.COMPLETED),
                Optional.of(process.ref()), Optional.empty(), 2, Optional.empty()));
        Page<SagaInstance> second = processes.list(new ProcessUseCases.ListProcesses(Optional.of(SagaStatus.COMPLETED),
                Optional.of(process.ref()), Optional.empty(), 2, first.nextCursor()));

        List<UUID> listed = new java.util.ArrayList<>(first.items().stream().map(SagaInstance::id).toList());
        listed.addAll(second.items().stream().map(SagaInstance::id).toList());
        assertEquals(List.of(a, b, c).stream().sorted(java.util.Comparator.comparing(UUID::toString)).toList(), listed);
        assertEquals(Optional.empty(), second.nextCursor());
        assertEquals(List.of(), processes.list(new ProcessUseCases.ListProcesses(Optional.empty(), Optional.empty(),
                Optional.of(Duration.ZERO), 10, Optional.empty())).items(), "no run is stuck: all completed");
        assertThrows(IllegalArgumentException.class, () -> new ProcessUseCases.ListProcesses(
                Optional.of(SagaStatus.FAILED), Optional.empty(), Optional.of(Duration.ofMinutes(5)), 10, Optional.empty()));
    }

    @Test
    void cancellingAnUnknownOrFinishedRunChangesNothing() {
        echoProcess();
        UUID id = started(start("aug:/processes/echo", "{'name': 'Ada'}"));
        await(id);

        assertInstanceOf(ProcessUseCases.CancelOutcome.NotFound.class, processes.cancel(UUID.randomUUID()));
        assertInstanceOf(ProcessUseCases.CancelOutcome.AlreadyFinished.class, processes.cancel(id));
        assertEquals(SagaStatus.COMPLETED, saga(id).status());
    }
}
