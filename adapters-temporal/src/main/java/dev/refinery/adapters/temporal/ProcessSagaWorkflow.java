package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.process.Builtins;
import dev.refinery.domain.process.CapabilitySpec;
import dev.refinery.domain.process.JsonSize;
import dev.refinery.domain.process.RunLimits;
import dev.refinery.domain.process.RunTemplate;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link ProcessWorkflow}, after temporalio/samples-java's bookingsaga: each step's compensation is registered
 * before the step is called, and compensations run one at a time in reverse. Workflow code only evaluates
 * {@code $from} templates (pure) and decides; everything else is an activity: the steps regular ones, but for
 * pure builtins ({@link Builtins#PURE}) which are local ones, as is the saga's bookkeeping ({@link SagaActivities}).
 *
 * <p>What is recorded when: the output of a step that touches the world (http, temporal-activity, sleep,
 * validate) right after it, so that a restarted run does not call it again; the outputs of pure builtin steps
 * before the next such step begins (what ran is durable and shown before a call that may take long), or else
 * with the completion or the beginning of the compensation. A run of pure steps is thus one unit of work at its
 * end. A run restarted from the ledger runs an unrecorded pure step again, which is harmless: the same input gives
 * the same output, and nothing outside saw it. Runs started before this (with no {@link #PURE_STEPS_LOCAL_CHANGE}
 * marker in their history) go on as they began: every step an activity task, recorded right after it.
 *
 * <p>Which steps are undone: those that completed, and those whose outcome is unknown (cut off by a cancel, the
 * deadline or a timeout); not a step whose capability answered that it failed. The list is recorded before any
 * compensation runs, and each compensation as it is done, so a restarted execution finishes the same list.
 *
 * <p>Budgets: {@code maxSteps} is checked before each step, {@code maxDuration} is a timer from the saga's start
 * that cancels the running step, {@code maxAttempts} is each step's retry limit (default
 * {@value #DEFAULT_MAX_ATTEMPTS}); a {@code sleep} longer than what is left of {@code maxDuration} fails the run at once.
 * Sizes ({@link RunLimits}, from the plan): a step's input, a step's output and the run document; past one the run
 * fails with the reason.
 */
public final class ProcessSagaWorkflow implements ProcessWorkflow {
    static final int DEFAULT_MAX_ATTEMPTS = 3;
    static final Duration BUILTIN_TIMEOUT = Duration.ofMinutes(1);
    /** Beyond the HTTP request's own timeout, for connecting and reading. */
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ACTIVITY_TIMEOUT = Duration.ofMinutes(5);
    /** Short, so a cancel reaches a sleeping step within seconds (the SDK heartbeats at 0.8 of it). */
    static final Duration SLEEP_HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * Below the steps' first retry interval, so that every retry of a pure builtin (only {@code fail} with
     * {@code "retryable": true} asks for one) waits on a workflow timer, as a regular activity's retry waits on the
     * server: a cancel or the deadline cuts the wait short at once, where a local wait would hold the workflow task
     * until its next heartbeat.
     */
    static final Duration PURE_LOCAL_RETRY_THRESHOLD = Duration.ofMillis(500);

    private static final Logger LOG = Workflow.getLogger(ProcessSagaWorkflow.class);

    /** One transaction of the ledger per attempt. */
    static final Duration BOOKKEEPING_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long bookkeeping is retried. The SDK does not retry a local activity at all when it has neither a
     * schedule-to-close timeout nor a maximum of attempts; a regular activity was retried for ever.
     */
    static final Duration BOOKKEEPING_PATIENCE = Duration.ofDays(365);
    /** Bookkeeping retries until the ledger answers; a bug (bad argument, broken invariant) fails at once. */
    static final RetryOptions BOOKKEEPING_RETRIES = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofMinutes(1))
            .setDoNotRetry(IllegalArgumentException.class.getName(), IllegalStateException.class.getName())
            .build();

    /**
     * The bookkeeping runs as local activities: in the workflow task, on this worker, with no activity task's round
     * trip through the server (each is one short ledger transaction). Their results are recorded in the history as
     * markers; a worker that dies before its workflow task completes leaves them to be run again, which the
     * bookkeeping allows (every call is a no-op when repeated). Past 80% of the workflow task timeout the SDK
     * heartbeats the workflow task, so a slow ledger does not time it out; retries that back off longer than the
     * local retry threshold wait on a workflow timer.
     */
    private final SagaActivities sagaState = Workflow.newLocalActivityStub(SagaActivities.class,
            LocalActivityOptions.newBuilder()
                    .setStartToCloseTimeout(BOOKKEEPING_TIMEOUT)
                    .setScheduleToCloseTimeout(BOOKKEEPING_PATIENCE)
                    .setRetryOptions(BOOKKEEPING_RETRIES)
                    .build());

    private final Saga compensations = new Saga(new Saga.Options.Builder()
            .setParallelCompensation(false)
            .setContinueWithError(true)
            .build());

    private String sagaId;
    private Payloads.Plan plan;
    private final Map<String, JsonNode> outputs = new LinkedHashMap<>();
    private final Map<String, JsonNode> inputs = new LinkedHashMap<>();
    /** Steps cut off with their outcome unknown. */
    private final Set<String> interrupted = new LinkedHashSet<>();
    private final List<String> compensationErrors = new ArrayList<>();
    /** The compensation recorded in the saga, once one is begun. */
    private Payloads.Compensation inForce;
    private boolean deadlineReached;
    private String currentStep;
    /**
     * Outputs this execution has not recorded yet, by step: those of pure builtin steps since the last recording,
     * and the last step's: recorded before the next step that touches the world, or with the completion or the
     * compensation's start.
     */
    private final Map<String, JsonNode> unrecorded = new LinkedHashMap<>();

    /**
     * The change that made pure builtin steps local activities recorded later ({@link #PURE_STEPS_LOCAL}), gated so
     * that a run a previous version started on a Temporal cluster replays as it was written: its history has a
     * regular activity for each pure step and a recording after each step.
     */
    static final String PURE_STEPS_LOCAL_CHANGE = "pure-builtin-steps-as-local-activities";
    static final int PURE_STEPS_LOCAL = 1;
    /** Whether this run's pure builtin steps are local activities, their outputs recorded later. */
    private boolean pureStepsLocal;

    /** The change that fails a run at once whose {@code sleep} cannot end within its {@code maxDuration}. */
    static final String SLEEP_WITHIN_BUDGET_CHANGE = "sleep-within-budget";
    static final int SLEEP_WITHIN_BUDGET = 1;
    /** How large this run's data may grow. */
    private RunLimits limits = RunLimits.DEFAULT;

    @Override
    public Payloads.RunOutcome run(Payloads.RunRequest request) {
        sagaId = request.sagaId();
        pureStepsLocal = Workflow.getVersion(PURE_STEPS_LOCAL_CHANGE, Workflow.DEFAULT_VERSION, PURE_STEPS_LOCAL)
                == PURE_STEPS_LOCAL;
        // a cancel may come before anything ran: the plan is loaded whatever happens
        plan = detached(() -> sagaState.loadPlan(new Payloads.SagaRequest(key("plan"), sagaId)));
        if (plan == null) return new Payloads.RunOutcome("UNKNOWN", null, "no saga " + sagaId);
        plan.outputs().forEach((name, output) -> outputs.put(name, Payloads.orNull(output)));
        limits = plan.limits();
        return switch (plan.phase()) {
            case "FINISHED" -> new Payloads.RunOutcome(plan.status(), plan.resultRef(), plan.error());
            case "COMPENSATE" -> {
                plan.steps().forEach(this::registerCompensation);
                yield finishUndo(plan.compensation());
            }
            case "CANCEL" -> {
                plan.steps().forEach(this::registerCompensation);
                yield undo("cancelled", true);
            }
            default -> {
                if (!CancellationScope.current().isCancelRequested()) yield runSteps();
                plan.steps().forEach(this::registerCompensation);
                yield undo("cancelled", true);
            }
        };
    }

    private Payloads.RunOutcome runSteps() {
        CancellationScope steps = Workflow.newCancellationScope(this::executeSteps);
        CancellationScope deadline = null;
        if (plan.maxDurationMillis() != null) {
            long left = plan.startedAtMillis() + plan.maxDurationMillis() - Workflow.currentTimeMillis();
            if (left <= 0) {
                plan.steps().forEach(this::registerCompensation);
                return undo(durationSpent(), false);
            }
            deadline = Workflow.newCancellationScope(() -> Workflow.newTimer(Duration.ofMillis(left)).thenApply(fired -> {
                deadlineReached = true;
                steps.cancel("maxDuration " + Duration.ofMillis(plan.maxDurationMillis()) + " elapsed");
                return fired;
            }));
            deadline.run();
        }
        try {
            steps.run();
        } catch (RunFailure | TemporalFailure e) {
            if (deadline != null) deadline.cancel();
            if (CancellationScope.current().isCancelRequested()) return undo("cancelled", true);
            if (deadlineReached) return undo(durationSpent(), false);
            return undo(e instanceof RunFailure ? e.getMessage() : "the run broke off: " + e.getMessage(), false);
        }
        if (deadline != null) deadline.cancel();
        // Once every step is done the result is written whatever happens meanwhile: a cancel cannot undo it. The
        // outputs not recorded yet (the last step's, and any pure steps' before it) are in the same unit of work.
        Map<String, JsonNode> outputsToRecord = takeUnrecorded();
        Payloads.CompleteResult result = detached(() ->
                sagaState.completeRun(new Payloads.CompleteRequest(key("complete"), sagaId, outputsToRecord)));
        if (result.resultRef() != null) return new Payloads.RunOutcome("COMPLETED", result.resultRef(), null);
        if (result.notRunning() != null) return new Payloads.RunOutcome(result.notRunning(), null, null);
        return undo(result.rejected(), false);
    }

    private void executeSteps() {
        if (JsonSize.exceeds(runDocument(), limits.maxRunDocumentBytes())) {
            throw new RunFailure("the run document is larger than " + limits.maxRunDocumentBytes()
                    + " bytes (refinery.processes.max-run-document-bytes)");
        }
        List<Payloads.Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            Payloads.Step step = steps.get(i);
            registerCompensation(step);
            if (outputs.containsKey(step.name())) continue;
            if (CancellationScope.current().isCancelRequested()) {
                throw new CanceledFailure("cancelled before step \"" + step.name() + "\"");
            }
            if (plan.maxSteps() != null && i >= plan.maxSteps()) {
                throw new RunFailure("budget exhausted: maxSteps " + plan.maxSteps() + " allows no step " + (i + 1)
                        + " (\"" + step.name() + "\")");
            }
            JsonNode input = switch (RunTemplate.evaluate(step.input(), runDocument(), limits.maxStepInputBytes())) {
                case RunTemplate.Evaluation.Value v -> v.value();
                case RunTemplate.Evaluation.Missing m -> throw new RunFailure("step \"" + step.name() + "\": " + m.message());
                case RunTemplate.Evaluation.TooLarge t -> throw new RunFailure("step \"" + step.name() + "\": its input "
                        + t.message() + " (refinery.processes.max-step-input-bytes)");
            };
            inputs.put(step.name(), input);
            currentStep = step.name();
            CapabilitySpec spec = CapabilitySpec.parse(step.capability().spec()).orElseThrow();
            checkSleepWithinBudget(step.name(), spec, input);
            boolean pure = isPureBuiltin(spec);
            if (!pure && !unrecorded.isEmpty()) {
                // before a step that touches the world (and may take long), what ran so far is made durable and shown
                recordUnrecorded();
            }
            JsonNode output;
            try {
                output = call(step.name(), "step/" + step.name(), step.capability(), input);
            } catch (ActivityFailure f) {
                if (f.getCause() instanceof CanceledFailure || CancellationScope.current().isCancelRequested()) {
                    interrupted.add(step.name());
                    throw f;
                }
                if (f.getCause() instanceof TimeoutFailure) interrupted.add(step.name());
                throw new RunFailure(describe("step \"" + step.name() + "\"", f));
            }
            checkSizes(step.name(), output);
            outputs.put(step.name(), output);
            unrecorded.put(step.name(), output);
            if (i < steps.size() - 1 && !pure) recordUnrecorded();
        }
    }

    /**
     * A step's output, and the run document with it, within the run's limits; else the run fails, and the step, which
     * ran, is undone as one whose outcome is unknown (its output is not kept).
     */
    private void checkSizes(String step, JsonNode output) {
        String problem = null;
        if (JsonSize.exceeds(output, limits.maxStepOutputBytes())) {
            problem = "its output is larger than " + limits.maxStepOutputBytes()
                    + " bytes (refinery.processes.max-step-output-bytes)";
        } else {
            Map<String, JsonNode> with = new LinkedHashMap<>(outputs);
            with.put(step, output);
            if (JsonSize.exceeds(RunTemplate.runDocument(plan.input(), with), limits.maxRunDocumentBytes())) {
                problem = "with its output the run document is larger than " + limits.maxRunDocumentBytes()
                        + " bytes (refinery.processes.max-run-document-bytes)";
            }
        }
        if (problem != null) {
            interrupted.add(step);
            throw new RunFailure("step \"" + step + "\": " + problem);
        }
    }

    /**
     * A {@code sleep} must end within what is left of the run's {@code maxDuration}: one that cannot fails the run
     * at once rather than hold a worker until the deadline cuts it off. Gated: runs started before go on as they did.
     */
    private void checkSleepWithinBudget(String step, CapabilitySpec spec, JsonNode input) {
        if (plan.maxDurationMillis() == null || !(spec instanceof CapabilitySpec.Builtin b)
                || !b.function().equals(Builtins.SLEEP)) {
            return;
        }
        long left = plan.startedAtMillis() + plan.maxDurationMillis() - Workflow.currentTimeMillis();
        long ms = Builtins.sleepMillis(input).orElse(0L);
        if (ms < left || Workflow.getVersion(SLEEP_WITHIN_BUDGET_CHANGE, Workflow.DEFAULT_VERSION, SLEEP_WITHIN_BUDGET)
                == Workflow.DEFAULT_VERSION) {
            return;
        }
        throw new RunFailure("budget exhausted: step \"" + step + "\" would sleep " + Duration.ofMillis(ms)
                + ", past the " + Duration.ofMillis(Math.max(left, 0)) + " left of maxDuration "
                + Duration.ofMillis(plan.maxDurationMillis()));
    }

    /** One recording of the outputs not recorded yet: the last as the step recorded, the others carried with it. */
    private void recordUnrecorded() {
        LinkedHashMap<String, JsonNode> carried = takeUnrecorded();
        Map.Entry<String, JsonNode> last = carried.pollLastEntry();
        sagaState.recordStep(new Payloads.RecordStepRequest(key("step/" + last.getKey()), sagaId, last.getKey(),
                last.getValue(), carried));
    }

    /** The outputs not recorded yet, handed to the recording that takes them: this execution no longer holds them. */
    private LinkedHashMap<String, JsonNode> takeUnrecorded() {
        LinkedHashMap<String, JsonNode> taken = new LinkedHashMap<>(unrecorded);
        unrecorded.clear();
        return taken;
    }

    /** Registered before the step is called, as the saga pattern wants; it decides when it runs whether to undo. */
    private void registerCompensation(Payloads.Step step) {
        if (step.compensate() != null) compensations.addCompensation(() -> compensate(step));
    }

    private void compensate(Payloads.Step step) {
        if (inForce == null || !inForce.steps().contains(step.name()) || inForce.done().contains(step.name())) return;
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.set("input", inputOf(step));
        input.set("output", outputs.getOrDefault(step.name(), JsonNodeFactory.instance.nullNode()));
        String error = null;
        try {
            call(step.name(), "compensate/" + step.name(), step.compensate(), input);
        } catch (ActivityFailure f) {
            error = describe("the compensation of step \"" + step.name() + "\"", f);
            compensationErrors.add(error);
            LOG.warn("run {}: {}", sagaId, error);
        }
        sagaState.recordCompensation(new Payloads.RecordCompensationRequest(key("compensate/" + step.name()), sagaId,
                step.name(), error));
    }

    private JsonNode inputOf(Payloads.Step step) {
        JsonNode known = inputs.get(step.name());
        if (known != null) return known;
        return RunTemplate.evaluate(step.input(), runDocument(), limits.maxStepInputBytes()) instanceof RunTemplate.Evaluation.Value v
                ? v.value() : JsonNodeFactory.instance.nullNode();
    }

    /** Records what to undo, undoes it in reverse, and ends the run, out of reach of any cancel. */
    private Payloads.RunOutcome undo(String reason, boolean cancel) {
        List<String> toUndo = new ArrayList<>();
        for (Payloads.Step step : plan.steps().reversed()) {
            if (step.compensate() != null && (outputs.containsKey(step.name()) || interrupted.contains(step.name()))) {
                toUndo.add(step.name());
            }
        }
        // Compensations of pure steps read their outputs from the ledger if the run is restarted: record them first.
        Map<String, JsonNode> outputsToRecord = takeUnrecorded();
        return finishUndo(detached(() -> sagaState.beginCompensation(
                new Payloads.BeginCompensationRequest(key("compensation"), sagaId, reason, cancel, toUndo,
                        outputsToRecord))));
    }

    private Payloads.RunOutcome finishUndo(Payloads.Compensation compensation) {
        inForce = compensation;
        return detached(() -> {
            compensations.compensate();
            if (compensation.cancel()) {
                sagaState.markCancelled(new Payloads.SagaRequest(key("cancelled"), sagaId));
                return new Payloads.RunOutcome("CANCELLED", null, null);
            }
            String error = compensationErrors.isEmpty() ? compensation.reason()
                    : compensation.reason() + "; then " + String.join("; ", compensationErrors);
            sagaState.failRun(new Payloads.FailRequest(key("failed"), sagaId, error));
            return new Payloads.RunOutcome("FAILED", null, error);
        });
    }

    private JsonNode call(String step, String what, Payloads.Capability capability, JsonNode input) {
        CapabilitySpec spec = CapabilitySpec.parse(capability.spec()).orElseThrow();
        Payloads.StepRequest request = new Payloads.StepRequest(key(what), sagaId, step, plan.branch(), capability, input);
        Object output = switch (spec) {
            case CapabilitySpec.TemporalActivity t ->
                    Workflow.newUntypedActivityStub(options(spec, input)).execute(t.activityType(), JsonNode.class, input);
            case CapabilitySpec.Builtin b when isPureBuiltin(b) ->
                    Workflow.newLocalActivityStub(StepActivities.class, LocalActivityOptions.newBuilder()
                            .setStartToCloseTimeout(b.timeout().orElse(BUILTIN_TIMEOUT))
                            .setRetryOptions(stepRetries())
                            .setLocalRetryThreshold(PURE_LOCAL_RETRY_THRESHOLD)
                            .build()).call(request);
            default -> Workflow.newActivityStub(StepActivities.class, options(spec, input)).call(request);
        };
        return Payloads.orNull((JsonNode) output);
    }

    /**
     * A pure builtin is short, deterministic and touches nothing: it runs as a local activity (no round trip through
     * the server is worth it) and its output is recorded later (see the class comment). False for runs started before.
     */
    private boolean isPureBuiltin(CapabilitySpec spec) {
        return pureStepsLocal && spec instanceof CapabilitySpec.Builtin b && Builtins.PURE.contains(b.function());
    }

    /** A step's retries: up to {@code maxAttempts} in all (which a local activity needs to be retried at all). */
    private RetryOptions stepRetries() {
        return RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(Duration.ofMinutes(1))
                .setMaximumAttempts(maxAttempts())
                .build();
    }

    private ActivityOptions options(CapabilitySpec spec, JsonNode input) {
        // builtin and http steps on the step queue: the workflow's own queue serves no activity tasks
        ActivityOptions.Builder options = ActivityOptions.newBuilder().setRetryOptions(stepRetries())
                .setTaskQueue(TemporalWorkerHost.stepQueue(Workflow.getInfo().getTaskQueue()));
        Duration timeout = switch (spec) {
            case CapabilitySpec.Builtin b when b.function().equals(Builtins.SLEEP) -> {
                options.setHeartbeatTimeout(SLEEP_HEARTBEAT_TIMEOUT);
                long ms = Builtins.sleepMillis(input).orElse(0L);
                yield b.timeout().orElse(Duration.ofMillis(ms).plus(BUILTIN_TIMEOUT));
            }
            case CapabilitySpec.Builtin b -> b.timeout().orElse(BUILTIN_TIMEOUT);
            case CapabilitySpec.Http h -> h.timeout().orElse(HTTP_TIMEOUT).plus(HTTP_TIMEOUT);
            case CapabilitySpec.TemporalActivity t -> {
                options.setTaskQueue(t.taskQueue());
                yield t.timeout().orElse(ACTIVITY_TIMEOUT);
            }
        };
        return options.setStartToCloseTimeout(timeout).build();
    }

    private int maxAttempts() {
        return plan.maxAttempts() != null ? plan.maxAttempts() : DEFAULT_MAX_ATTEMPTS;
    }

    /** Why a call failed, for the saga's error: {@code subject} names the call ({@code step "score"}). */
    private String describe(String subject, ActivityFailure failure) {
        Throwable cause = failure.getCause();
        String message = switch (cause) {
            case ApplicationFailure a -> a.getOriginalMessage();
            case TimeoutFailure t -> "timed out (" + t.getTimeoutType() + ")";
            case null -> failure.getMessage();
            default -> cause.getMessage();
        };
        if (failure.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED) {
            return subject + " failed after " + maxAttempts() + " attempts"
                    + (plan.maxAttempts() != null ? " (budget exhausted: maxAttempts " + maxAttempts() + ")" : "")
                    + ": " + message;
        }
        return subject + " failed: " + message;
    }

    private String durationSpent() {
        return "budget exhausted: maxDuration " + Duration.ofMillis(plan.maxDurationMillis()) + " elapsed"
                + (currentStep != null ? " during step \"" + currentStep + "\"" : " before the run could go on");
    }

    private JsonNode runDocument() {
        return RunTemplate.runDocument(plan.input(), outputs);
    }

    /** Runs {@code work} out of reach of any cancel: what must happen once decided (bookkeeping, compensation). */
    private static <T> T detached(Supplier<T> work) {
        List<T> result = new ArrayList<>(1);
        Workflow.newDetachedCancellationScope(() -> result.add(work.get())).run();
        return result.getFirst();
    }

    private String key(String what) {
        return sagaId + "/" + what;
    }

    /** The run cannot go on; the message says why. */
    private static final class RunFailure extends RuntimeException {
        RunFailure(String message) {
            super(message, null, false, false);
        }
    }
}
