package dev.refinery.adapters.temporal;

import dev.refinery.application.port.ProcessEngine;
import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.Violation;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refinery's bookkeeping activities ({@code Saga.CompleteRun}, {@code Saga.MarkCancelled}, …) are no capability:
 * one that names Refinery's queue or an internal type is refused at write (422) and at start, and a run that calls
 * one anyway (written before the rule) reaches nothing, for the workflow queue serves no activity tasks.
 */
class InternalActivitiesTest extends ProcessTestBed {
    private static final String ATTACK = """
            {'executor': 'temporal-activity', 'activityType': 'Saga.MarkCancelled', 'taskQueue': 'refinery'}""";

    /** Another writer's run, RUNNING (held still: no engine drives it). */
    private UUID victim;

    @BeforeEach
    void someoneElsesRun() {
        builtin("capabilities/echo", "echo");
        process("processes/victim", """
                {'steps': [{'name': 'one', 'capability': 'aug:/capabilities/echo'}], 'result': {}}""", "{}");
        ProcessEngine still = new ProcessEngine() {
            @Override
            public void start(UUID sagaId) { }

            @Override
            public void cancel(UUID sagaId) { }
        };
        victim = started(new ProcessService(ledger, still, clock, new SchemaResolver(), new SchemaValidator())
                .start(new ProcessUseCases.StartProcess(AugUri.parse("aug:/processes/victim"), MAIN, json("{}"),
                        Optional.empty(), List.of(), Optional.empty(), ROOT)));
    }

    @Test
    void aCapabilityNamingRefinerysQueueAndABookkeepingTypeIsRefusedAtWrite() {
        RefineOutcome outcome = refine.refine(draft("capabilities/attack", ATTACK));

        List<String> pointers = assertInstanceOf(RefineOutcome.Invalid.class, outcome, () -> "expected 422, got " + outcome)
                .violations().stream().map(Violation::pointer).toList();
        assertEquals(List.of("/vibes/0/context/taskQueue", "/vibes/0/context/activityType"), pointers);
        assertInstanceOf(RefineOutcome.Invalid.class, refine.refine(draft("capabilities/steps",
                "{'executor': 'temporal-activity', 'activityType': 'Anything', 'taskQueue': 'refinery-steps'}")));
    }

    @Test
    void aCapabilityWrittenBeforeTheRuleNeitherStartsNorReachesTheBookkeeping() {
        RefineService unguarded = new RefineService(ledger, clock, new SchemaResolver(), new SchemaValidator(), 100);
        assertInstanceOf(RefineOutcome.Written.class, unguarded.refine(draft("capabilities/attack", ATTACK)));
        process("processes/attack", """
                {'steps': [{'name': 'strike', 'capability': 'aug:/capabilities/attack',
                            'input': {'idempotencyKey': 'x', 'sagaId': {'$from': '/input/victim'}}}],
                 'result': {}}""", "{}");
        budget("budgets/short", "{'maxDuration': 'PT2S'}");
        String input = "{'victim': '" + victim + "'}";

        ProcessUseCases.StartOutcome refused = start("aug:/processes/attack", input, "aug:/budgets/short");
        ProcessService unchecked = new ProcessService(ledger, new TemporalProcessEngine(client(),
                TemporalWorkerHost.DEFAULT_TASK_QUEUE), clock, new SchemaResolver(), new SchemaValidator());
        UUID attack = started(unchecked.start(new ProcessUseCases.StartProcess(AugUri.parse("aug:/processes/attack"),
                MAIN, json(input), Optional.empty(), List.of(AugUri.parse("aug:/budgets/short")), Optional.empty(), ROOT)));
        Payloads.RunOutcome outcome = await(attack);

        List<Violation> why = assertInstanceOf(ProcessUseCases.StartOutcome.Invalid.class, refused).violations();
        assertTrue(why.getFirst().message().contains("/context/taskQueue"), why::toString);
        assertEquals("FAILED", outcome.status(), "no worker serves activity tasks on Refinery's queue: the budget ends it");
        assertEquals(SagaStatus.RUNNING, saga(victim).status(), "the other run goes on");
        assertTrue(saga(victim).error().isEmpty());
    }

    private static RefineCommand draft(String id, String context) {
        return new RefineCommand(MAIN, ROOT, "test", Optional.empty(), List.of(), List.of(), List.of(), false,
                List.of(VibeDraft.of(new VibeId(id), Kind.CAPABILITY, json(context), json("{}"), json("{}"))));
    }
}
