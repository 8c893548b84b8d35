package dev.refinery.application.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.process.RunUseCases.BeginCompensation;
import dev.refinery.application.process.RunUseCases.CompleteOutcome;
import dev.refinery.application.process.RunUseCases.CompleteRun;
import dev.refinery.application.process.RunUseCases.RecordCompensation;
import dev.refinery.application.process.RunUseCases.RecordStepOutput;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.Kind;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;
import dev.refinery.domain.process.ProcessDefinition;
import dev.refinery.domain.process.RunLimits;
import dev.refinery.domain.process.RunTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The saga's state changes while a run goes on: see {@link RunUseCases}. Each is one unit of work. */
public final class RunService implements RunUseCases.LoadRunPlanUseCase, RunUseCases.RecordStepOutputUseCase,
        RunUseCases.BeginCompensationUseCase, RunUseCases.RecordCompensationUseCase, RunUseCases.CompleteRunUseCase,
        RunUseCases.FailRunUseCase, RunUseCases.MarkCancelledUseCase {

    static final String WRITING_RESULT = "writing-result";
    static final String COMPENSATING = "compensating";
    /** Why a run whose cancel was accepted is not completed. */
    static final String CANCELLED_BEFORE_COMPLETION = "cancelled";

    private final VibeLedger ledger;
    private final RefineService refine;
    private final Clock clock;
    private final PinnedDefinitions pinned = new PinnedDefinitions();
    private final RunLimits limits;

    public RunService(VibeLedger ledger, RefineService refine, Clock clock) {
        this(ledger, refine, clock, RunLimits.DEFAULT);
    }

    /** @param limits how large a run's data may grow: handed to the engine with each plan, and the result's cap */
    public RunService(VibeLedger ledger, RefineService refine, Clock clock, RunLimits limits) {
        this.limits = limits;
        this.ledger = ledger;
        this.refine = refine;
        this.clock = clock;
    }

    @Override
    public Optional<RunPlan> load(UUID sagaId) {
        return ledger.read(tx -> tx.sagas().find(sagaId).map(saga -> plan(tx, saga)));
    }

    private RunPlan plan(LedgerTransaction tx, SagaInstance saga) {
        ProcessDefinition definition = pinned.definition(tx, saga);
        List<RunPlan.PlannedStep> steps = definition.steps().stream().map(s -> new RunPlan.PlannedStep(s.name(),
                pinned.capability(tx, saga, s.capability()), s.input(),
                s.compensate().map(c -> pinned.capability(tx, saga, c)))).toList();
        RunPlan.Phase phase = saga.status().isFinished() ? RunPlan.Phase.FINISHED
                : saga.compensation().isPresent() ? RunPlan.Phase.COMPENSATE
                : saga.cancelRequested() ? RunPlan.Phase.CANCEL
                : RunPlan.Phase.RUN;
        return new RunPlan(saga.id(), saga.sagaType(), saga.branch(), saga.status(), phase, saga.input(), steps,
                saga.budget(), saga.createdAt(), saga.outputs(), saga.compensation(), saga.resultRef(), saga.error(), limits);
    }

    @Override
    public boolean record(RecordStepOutput command) {
        return change(command.sagaId(), (tx, saga) -> {
            if (saga.status().isFinished() || command.outputs().keySet().stream().allMatch(saga::hasOutput)) {
                return Optional.empty();
            }
            return Optional.of(withOutputs(saga, pinned.definition(tx, saga), command.outputs()));
        });
    }

    /** The saga with those of {@code outputs} it does not hold yet recorded, in the order of the steps. */
    private SagaInstance withOutputs(SagaInstance saga, ProcessDefinition definition, Map<String, JsonNode> outputs) {
        for (String step : outputs.keySet()) {
            if (!definition.stepNames().contains(step)) {
                throw new IllegalArgumentException("process " + saga.sagaType() + " has no step " + step);
            }
        }
        SagaInstance recorded = saga;
        for (String step : definition.stepNames()) {
            JsonNode output = outputs.get(step);
            if (output != null && !recorded.hasOutput(step)) recorded = withOutput(recorded, definition, step, output);
        }
        return recorded;
    }

    /**
     * The saga with the output of {@code step} (one of the definition's) recorded, at the step after it (unless it
     * is being undone).
     */
    private SagaInstance withOutput(SagaInstance saga, ProcessDefinition definition, String step, JsonNode output) {
        List<String> names = definition.stepNames();
        int at = names.indexOf(step);
        String next = at + 1 < names.size() ? names.get(at + 1) : WRITING_RESULT;
        String state = saga.compensation().isPresent() ? saga.currentState() : next;
        return saga.changed(state, SagaStatus.RUNNING, now(), c ->
                ((ObjectNode) c.get("steps")).putObject(step).set("output", output));
    }

    @Override
    public SagaInstance.Compensation begin(BeginCompensation command) {
        change(command.sagaId(), (tx, saga) -> {
            if (saga.status().isFinished()) return Optional.empty();
            SagaInstance recorded = command.unrecorded().keySet().stream().allMatch(saga::hasOutput) ? saga
                    : withOutputs(saga, pinned.definition(tx, saga), command.unrecorded());
            if (recorded.compensation().isPresent()) return recorded == saga ? Optional.empty() : Optional.of(recorded);
            SagaInstance.Compensation compensation = new SagaInstance.Compensation(command.reason(),
                    command.cancel() || saga.cancelRequested(), command.steps(), List.of(), Map.of());
            return Optional.of(recorded.changed(COMPENSATING, SagaStatus.RUNNING, now(),
                    c -> c.set("compensation", compensation.toJson())));
        });
        // A finished run without a compensation has nothing left to undo.
        return ledger.read(tx -> tx.sagas().find(command.sagaId()).orElseThrow().compensation())
                .orElseGet(() -> new SagaInstance.Compensation(command.reason(), command.cancel(), List.of(),
                        List.of(), Map.of()));
    }

    @Override
    public boolean record(RecordCompensation command) {
        return change(command.sagaId(), (tx, saga) -> {
            Optional<SagaInstance.Compensation> compensation = saga.compensation();
            if (saga.status().isFinished() || compensation.isEmpty()
                    || compensation.get().done().contains(command.step())) {
                return Optional.empty();
            }
            return Optional.of(saga.changed(saga.currentState(), SagaStatus.RUNNING, now(), c -> {
                ObjectNode json = (ObjectNode) c.get("compensation");
                ((ArrayNode) json.get("done")).add(command.step());
                command.error().ifPresent(e -> json.withObjectProperty("errors").put(command.step(), e));
            }));
        });
    }

    @Override
    public boolean fail(UUID sagaId, String error) {
        return change(sagaId, (tx, saga) -> saga.status().isFinished() ? Optional.empty()
                : Optional.of(saga.changed("failed", SagaStatus.FAILED, now(), c -> c.put("error", error))));
    }

    @Override
    public boolean markCancelled(UUID sagaId) {
        return change(sagaId, (tx, saga) -> saga.status().isFinished() ? Optional.empty()
                : Optional.of(saga.changed("cancelled", SagaStatus.CANCELLED, now(), c -> { })));
    }

    @Override
    public CompleteOutcome complete(CompleteRun command) {
        UUID sagaId = command.sagaId();
        return ledger.inTransaction(tx -> {
            SagaInstance saga = locked(tx, sagaId);
            if (saga.status() == SagaStatus.COMPLETED) {
                return new CompleteOutcome.Completed(saga.resultRef().orElseThrow(
                        () -> new IllegalStateException("saga " + sagaId + " is COMPLETED without a result")));
            }
            if (saga.status().isFinished()) return new CompleteOutcome.NotRunning(saga.status());
            // A cancel that was accepted (202) wins over a completion that had not committed yet: the run is undone
            // and ends CANCELLED (the compensation begun on this rejection takes the saga's cancelRequested).
            if (saga.cancelRequested()) return new CompleteOutcome.Rejected(CANCELLED_BEFORE_COMPLETION);
            ProcessDefinition definition = pinned.definition(tx, saga);
            SagaInstance recorded = withOutputs(saga, definition, command.unrecorded());
            CompleteOutcome outcome = writeResult(tx, recorded, definition);
            SagaInstance next = outcome instanceof CompleteOutcome.Completed c
                    ? recorded.changed("completed", SagaStatus.COMPLETED, now(), json -> json.put("resultRef", c.resultRef().toString()))
                    : recorded;
            if (next != saga && !tx.sagas().update(next)) {
                throw new IllegalStateException("saga " + sagaId + " changed under its lock");
            }
            return outcome;
        });
    }

    /** Evaluates the result of a run whose steps are all recorded and writes it: Completed or Rejected. */
    private CompleteOutcome writeResult(LedgerTransaction tx, SagaInstance saga, ProcessDefinition definition) {
        JsonNode result;
        switch (RunTemplate.evaluate(definition.result(), RunTemplate.runDocument(saga.input(), saga.outputs()),
                limits.maxRunDocumentBytes())) {
            case RunTemplate.Evaluation.Value v -> result = v.value();
            case RunTemplate.Evaluation.Missing m -> {
                return new CompleteOutcome.Rejected("the result cannot be evaluated: " + m.message());
            }
            case RunTemplate.Evaluation.TooLarge t -> {
                return new CompleteOutcome.Rejected("the result cannot be evaluated: " + t.message());
            }
        }
        RefineOutcome outcome = refine.refine(tx, resultCommand(saga, definition, result), RefinementKind.PROCESS);
        return switch (outcome) {
            case RefineOutcome.Written w -> new CompleteOutcome.Completed(w.vibes().getFirst().vibe().ref());
            case RefineOutcome.Replayed r -> new CompleteOutcome.Completed(r.vibes().getFirst().vibe().ref());
            case RefineOutcome.Invalid i ->
                    new CompleteOutcome.Rejected("the result cannot be written: " + describe(i.violations()));
            case RefineOutcome.NotFound n -> new CompleteOutcome.Rejected("the result cannot be written: no " + n.what());
            case RefineOutcome.Forbidden f -> new CompleteOutcome.Rejected("the result cannot be written: "
                    + f.refusal().reason());
            case RefineOutcome.KeyReused k -> throw new IllegalStateException("a run's result has no client key: " + k);
            case RefineOutcome.StaleBase s -> throw new IllegalStateException("a result has no base: " + s);
            case RefineOutcome.Previewed p -> throw new IllegalStateException("a result is no dry run");
        };
    }

    /** The result vibe: {@code RECORD}, {@code {process, run, input}}, the result schema, authored by the starter. */
    private static RefineCommand resultCommand(SagaInstance saga, ProcessDefinition definition, JsonNode result) {
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        context.put("process", saga.sagaType().toString());
        context.put("run", saga.id().toString());
        context.set("input", saga.input());
        JsonNode schema = definition.resultSchema().orElseGet(JsonNodeFactory.instance::objectNode);
        Set<VibeRef> instructions = new LinkedHashSet<>();
        instructions.add(saga.sagaType());
        instructions.addAll(saga.capabilities().values());
        return new RefineCommand(saga.branch(), saga.author(), "run " + saga.id() + " of " + saga.sagaType(),
                Optional.of(saga.id().toString()), List.of(), List.copyOf(instructions), saga.budgetRefs(), false,
                List.of(VibeDraft.of(saga.resultId(), Kind.RECORD, context, schema, result)));
    }

    private static String describe(List<Violation> violations) {
        return violations.stream()
                .map(v -> (v.pointer().replaceFirst("^/vibes/0/solution", "/result")) + ": " + v.message())
                .collect(Collectors.joining("; "));
    }

    /** A change of the saga: lock it, let {@code next} decide (empty: nothing to do), write with lock_version + 1. */
    private boolean change(UUID sagaId, Change next) {
        return ledger.inTransaction(tx -> {
            SagaInstance saga = locked(tx, sagaId);
            Optional<SagaInstance> changed = next.apply(tx, saga);
            if (changed.isEmpty()) return false;
            if (!tx.sagas().update(changed.get())) {
                throw new IllegalStateException("saga " + sagaId + " changed under its lock");
            }
            return true;
        });
    }

    @FunctionalInterface
    private interface Change {
        Optional<SagaInstance> apply(LedgerTransaction tx, SagaInstance saga);
    }

    private static SagaInstance locked(LedgerTransaction tx, UUID sagaId) {
        return tx.sagas().findForUpdate(sagaId).orElseThrow(() -> new IllegalArgumentException("no saga " + sagaId));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
