package dev.refinery.application.contract;

import dev.refinery.application.port.ProcessEngine;
import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.ProcessUseCases.StartOutcome;
import dev.refinery.application.process.ProcessUseCases.StartProcess;
import dev.refinery.application.process.RunService;
import dev.refinery.application.process.RunUseCases.CompleteOutcome;
import dev.refinery.application.process.RunUseCases.CompleteRun;
import dev.refinery.application.process.RunUseCases.RecordStepOutput;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.application.read.Queries;
import dev.refinery.application.refine.MergeCommand;
import dev.refinery.application.refine.MergeOutcome;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Idempotency keys over a ledger adapter: a retry with the same key and body answers the first result; the same key
 * with another body is refused naming the first; keys are the author's own; and a run's result is written by the run,
 * whatever a client did with the run's id as its key.
 */
public abstract class IdempotencyContract extends LedgerFixture {
    private static final String PERSON = "{'type':'object','properties':{'name':{'type':'string'}}}";

    private VibeRef other;
    private ProcessService processes;
    private RunService runs;

    private static final ProcessEngine NO_ENGINE = new ProcessEngine() {
        @Override public void start(UUID sagaId) {}
        @Override public void cancel(UUID sagaId) {}
    };

    @BeforeEach
    void wireProcesses() {
        other = written(refine.refine(new RefineCommand(MAIN, ROOT, "a second role", Optional.empty(), List.of(),
                List.of(), List.of(), false, List.of(VibeDraft.of(new VibeId("roles/other"), Kind.ROLE, json("{}"),
                json("{}"), json("{'name':'other'}")))))).vibes().getFirst().vibe().ref();
        SchemaResolver resolver = new SchemaResolver();
        SchemaValidator validator = new SchemaValidator();
        processes = new ProcessService(ledger, NO_ENGINE, clock, resolver, validator);
        runs = new RunService(ledger, refine, clock);
        refine.refine(command(MAIN,
                VibeDraft.of(new VibeId("capabilities/echo"), Kind.CAPABILITY,
                        json("{'executor':'builtin','function':'echo'}"), json("{}"), json("{}")),
                VibeDraft.of(new VibeId("processes/echo"), Kind.PROCESS,
                        json("{'steps':[{'name':'echo','capability':'aug:/capabilities/echo'}],"
                                + "'result':{'$from':'/steps/echo/output'}}"), json(PERSON), json("{'name':'x'}"))));
    }

    private static RefineCommand keyed(VibeRef author, String key, String message, String id, String solution) {
        return new RefineCommand(MAIN, author, message, Optional.of(key), List.of(), List.of(), List.of(), false,
                List.of(draft(id, PERSON, solution)));
    }

    private Optional<Vibe> head(String id) {
        return read.read(new Queries.ReadVibe(MAIN, new VibeId(id), Optional.empty(), Optional.empty()));
    }

    private Refinement refinementOf(RefineOutcome outcome) {
        return written(outcome).refinement().orElseThrow();
    }

    // ---- refines ---------------------------------------------------------------------------------

    @Test
    void aRetryWithTheSameKeyAndBodyAnswersTheFirstResultAndWritesNothing() {
        Refinement first = refinementOf(refine.refine(keyed(ROOT, "k1", "once", "people/ada", "{'name':'Ada'}")));

        RefineOutcome again = refine.refine(keyed(ROOT, "k1", "once", "people/ada", "{'name':'Ada'}"));

        RefineOutcome.Replayed replayed = assertInstanceOf(RefineOutcome.Replayed.class, again);
        assertEquals(first, replayed.refinement());
        assertEquals(1, head("people/ada").orElseThrow().revision().value());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedNamingTheFirstRefinement() {
        Refinement first = refinementOf(refine.refine(keyed(ROOT, "k2", "once", "people/ada", "{'name':'Ada'}")));

        RefineOutcome other = refine.refine(keyed(ROOT, "k2", "once", "people/ada", "{'name':'Mallory'}"));
        RefineOutcome otherMessage = refine.refine(keyed(ROOT, "k2", "twice", "people/ada", "{'name':'Ada'}"));

        assertEquals(new RefineOutcome.KeyReused("k2", first), other);
        assertEquals(new RefineOutcome.KeyReused("k2", first), otherMessage);
        assertEquals(json("{'name':'Ada'}"), head("people/ada").orElseThrow().solution());
        assertEquals(1, head("people/ada").orElseThrow().revision().value());
    }

    @Test
    void keysAreTheAuthorsOwn() {
        Refinement mine = refinementOf(refine.refine(keyed(ROOT, "shared", "m", "people/ada", "{'name':'Ada'}")));

        RefineOutcome theirs = refine.refine(keyed(other, "shared", "m", "people/bob", "{'name':'Bob'}"));

        Refinement written = refinementOf(theirs);
        assertNotEquals(mine.id(), written.id());
        assertEquals(other, written.authorRef());
        assertEquals(json("{'name':'Bob'}"), head("people/bob").orElseThrow().solution());
        assertInstanceOf(RefineOutcome.Replayed.class,
                refine.refine(keyed(other, "shared", "m", "people/bob", "{'name':'Bob'}")));
        assertEquals(mine, assertInstanceOf(RefineOutcome.Replayed.class,
                refine.refine(keyed(ROOT, "shared", "m", "people/ada", "{'name':'Ada'}"))).refinement());
    }

    // ---- merges ----------------------------------------------------------------------------------

    private MergeCommand merge(String source, String message, String key) {
        return new MergeCommand(new BranchName(source), MAIN, ROOT, message, Map.of(), Optional.of(key));
    }

    @Test
    void aMergeRetriedWithItsKeyAnswersTheFirstAndAnotherMergeWithItIsRefused() {
        fork("dev", "main");
        write(new BranchName("dev"), "people/dev", PERSON, "{'name':'Dev'}");
        Refinement first = assertInstanceOf(MergeOutcome.Merged.class, merge.merge(merge("dev", "in", "m1")))
                .refinement();
        fork("dev2", "main");
        write(new BranchName("dev2"), "people/dev2", PERSON, "{'name':'Dev2'}");

        MergeOutcome retried = merge.merge(merge("dev", "in", "m1"));
        MergeOutcome another = merge.merge(merge("dev2", "in", "m1"));

        assertEquals(first, assertInstanceOf(MergeOutcome.Replayed.class, retried).refinement());
        assertEquals(new MergeOutcome.KeyReused("m1", first), another);
        assertEquals(Optional.empty(), head("people/dev2"), "the second merge wrote nothing");
    }

    @Test
    void aMergeCannotAnswerWithARefineThatHoldsItsKey() {
        Refinement refined = refinementOf(refine.refine(keyed(ROOT, "both", "r", "people/ada", "{'name':'Ada'}")));
        fork("dev", "main");
        write(new BranchName("dev"), "people/dev", PERSON, "{'name':'Dev'}");

        MergeOutcome outcome = merge.merge(merge("dev", "", "both"));

        assertEquals(new MergeOutcome.KeyReused("both", refined), outcome);
        assertEquals(Optional.empty(), head("people/dev"));
    }

    // ---- process starts --------------------------------------------------------------------------

    private StartProcess start(VibeRef author, String input, Optional<String> key) {
        return new StartProcess(AugUri.parse("aug:/processes/echo"), MAIN, json(input), Optional.empty(), List.of(),
                key, author);
    }

    @Test
    void aStartRetriedWithItsKeyAnswersTheFirstRunAndAnotherStartWithItIsRefused() {
        SagaInstance first = assertInstanceOf(StartOutcome.Started.class,
                processes.start(start(ROOT, "{'name':'Ada'}", Optional.of("p1")))).saga();

        StartOutcome retried = processes.start(start(ROOT, "{'name':'Ada'}", Optional.of("p1")));
        StartOutcome another = processes.start(start(ROOT, "{'name':'Mallory'}", Optional.of("p1")));
        StartOutcome theirs = processes.start(start(other, "{'name':'Bob'}", Optional.of("p1")));

        assertEquals(first.id(), assertInstanceOf(StartOutcome.Replayed.class, retried).saga().id());
        StartOutcome.KeyReused reused = assertInstanceOf(StartOutcome.KeyReused.class, another);
        assertEquals("p1", reused.key());
        assertEquals(first.id(), reused.first().id());
        SagaInstance started = assertInstanceOf(StartOutcome.Started.class, theirs, "keys are the author's own").saga();
        assertNotEquals(first.id(), started.id());
        assertEquals(other, started.author());
    }

    // ---- a run's result --------------------------------------------------------------------------

    private UUID startedRun() {
        return assertInstanceOf(StartOutcome.Started.class,
                processes.start(start(ROOT, "{'name':'Run'}", Optional.empty()))).saga().id();
    }

    /** Completes the run and checks that its result is its own: the echo of its input, at its result id. */
    private VibeRef completeAndCheck(UUID run) {
        runs.record(new RecordStepOutput(run, "echo", json("{'name':'Run'}")));
        CompleteOutcome.Completed completed = assertInstanceOf(CompleteOutcome.Completed.class,
                runs.complete(CompleteRun.of(run)));
        SagaInstance saga = ledger.read(tx -> tx.sagas().find(run)).orElseThrow();
        assertEquals(SagaStatus.COMPLETED, saga.status());
        assertEquals(Optional.of(completed.resultRef()), saga.resultRef());
        assertEquals(saga.resultId(), completed.resultRef().id(), "the result is at the run's result id");
        Vibe result = ledger.read(tx -> tx.vibe(completed.resultRef())).orElseThrow();
        assertEquals(json("{'name':'Run'}"), result.solution());
        Refinement by = ledger.read(tx -> tx.refinement(result.refinementId())).orElseThrow();
        assertEquals(RefinementKind.PROCESS, by.kind(), "written by the run");
        return completed.resultRef();
    }

    @Test
    void aClientThatUsesTheRunIdAsItsKeyBeforehandCannotTakeTheRunsResult() {
        UUID run = startedRun();
        // the same author as the run's: a client of the starter's own role
        Refinement mallory = refinementOf(refine.refine(keyed(ROOT, run.toString(), "mine", "people/mallory",
                "{'name':'Mallory'}")));

        completeAndCheck(run);

        assertEquals(json("{'name':'Mallory'}"), head("people/mallory").orElseThrow().solution());
        assertEquals(mallory, assertInstanceOf(RefineOutcome.Replayed.class, refine.refine(keyed(ROOT,
                run.toString(), "mine", "people/mallory", "{'name':'Mallory'}"))).refinement());
    }

    @Test
    void aClientThatUsesTheRunIdAsItsKeyAfterwardsGetsItsOwnRefinement() {
        UUID run = startedRun();
        VibeRef result = completeAndCheck(run);

        RefineOutcome outcome = refine.refine(keyed(ROOT, run.toString(), "mine", "people/mallory",
                "{'name':'Mallory'}"));

        Refinement mallory = refinementOf(outcome);
        assertEquals(RefinementKind.REFINE, mallory.kind());
        assertEquals(json("{'name':'Mallory'}"), head("people/mallory").orElseThrow().solution());
        assertEquals(Optional.of(result), ledger.read(tx -> tx.sagas().find(run)).orElseThrow().resultRef());
    }

    @Test
    void aClientThatUsesTheRunIdAsItsKeyConcurrentlyCannotTakeTheRunsResult() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 4; i++) {
                UUID run = startedRun();
                runs.record(new RecordStepOutput(run, "echo", json("{'name':'Run'}")));
                CountDownLatch go = new CountDownLatch(1);
                String id = "people/mallory-" + i;
                Future<RefineOutcome> client = pool.submit(() -> {
                    go.await();
                    return refine.refine(keyed(ROOT, run.toString(), "mine", id, "{'name':'Mallory'}"));
                });
                Future<CompleteOutcome> completion = pool.submit(() -> {
                    go.await();
                    return runs.complete(CompleteRun.of(run));
                });
                go.countDown();

                Refinement mallory = refinementOf(client.get(60, TimeUnit.SECONDS));
                CompleteOutcome.Completed completed = assertInstanceOf(CompleteOutcome.Completed.class,
                        completion.get(60, TimeUnit.SECONDS));
                assertEquals(RefinementKind.REFINE, mallory.kind());
                assertEquals(json("{'name':'Mallory'}"), head(id).orElseThrow().solution());
                Vibe result = ledger.read(tx -> tx.vibe(completed.resultRef())).orElseThrow();
                assertEquals(json("{'name':'Run'}"), result.solution());
                assertEquals(ledger.read(tx -> tx.sagas().find(run)).orElseThrow().resultId(), result.id());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
