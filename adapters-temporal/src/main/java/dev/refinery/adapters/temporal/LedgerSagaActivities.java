package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.process.RunPlan;
import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.domain.VibeRef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link SagaActivities} over the application's run use cases (and so over the ledger). */
public final class LedgerSagaActivities implements SagaActivities {
    private final RunPorts ports;

    public LedgerSagaActivities(RunPorts ports) {
        this.ports = ports;
    }

    @Override
    public Payloads.Plan loadPlan(Payloads.SagaRequest request) {
        return ports.loadPlan().load(UUID.fromString(request.sagaId())).map(LedgerSagaActivities::payload).orElse(null);
    }

    static Payloads.Plan payload(RunPlan plan) {
        Map<String, JsonNode> outputs = new LinkedHashMap<>(plan.outputs());
        return new Payloads.Plan(plan.sagaId().toString(), plan.process().toString(), plan.branch().value(),
                plan.status().name(), plan.phase().name(), plan.input(),
                plan.steps().stream().map(s -> new Payloads.Step(s.name(), capability(s.capability()), s.input(),
                        s.compensate().map(LedgerSagaActivities::capability).orElse(null))).toList(),
                outputs,
                plan.budget().maxSteps().orElse(null),
                plan.budget().maxDuration().map(java.time.Duration::toMillis).orElse(null),
                plan.budget().maxAttempts().orElse(null),
                plan.startedAt().toEpochMilli(),
                plan.compensation().map(LedgerSagaActivities::payload).orElse(null),
                plan.resultRef().map(VibeRef::toString).orElse(null),
                plan.error().orElse(null),
                plan.limits().maxStepInputBytes(), plan.limits().maxStepOutputBytes(), plan.limits().maxRunDocumentBytes());
    }

    private static Payloads.Capability capability(RunPlan.PinnedCapability c) {
        return new Payloads.Capability(c.ref().toString(), c.spec().toJson());
    }

    private static Payloads.Compensation payload(SagaInstance.Compensation c) {
        return new Payloads.Compensation(c.reason(), c.cancel(), c.steps(), c.done());
    }

    @Override
    public boolean recordStep(Payloads.RecordStepRequest request) {
        return ports.recordStep().record(new RunUseCases.RecordStepOutput(UUID.fromString(request.sagaId()),
                request.step(), Payloads.orNull(request.output()), Payloads.outputs(request.unrecorded())));
    }

    @Override
    public Payloads.Compensation beginCompensation(Payloads.BeginCompensationRequest request) {
        return payload(ports.beginCompensation().begin(new RunUseCases.BeginCompensation(
                UUID.fromString(request.sagaId()), request.reason(), request.cancel(), request.steps(),
                Payloads.outputs(request.unrecorded()))));
    }

    @Override
    public boolean recordCompensation(Payloads.RecordCompensationRequest request) {
        return ports.recordCompensation().record(new RunUseCases.RecordCompensation(UUID.fromString(request.sagaId()),
                request.step(), Optional.ofNullable(request.error())));
    }

    @Override
    public Payloads.CompleteResult completeRun(Payloads.CompleteRequest request) {
        Map<String, JsonNode> unrecorded = Payloads.outputs(request.unrecorded());
        return switch (ports.completeRun().complete(new RunUseCases.CompleteRun(UUID.fromString(request.sagaId()), unrecorded))) {
            case RunUseCases.CompleteOutcome.Completed c -> new Payloads.CompleteResult(c.resultRef().toString(), null, null);
            case RunUseCases.CompleteOutcome.Rejected r -> new Payloads.CompleteResult(null, r.reason(), null);
            case RunUseCases.CompleteOutcome.NotRunning n -> new Payloads.CompleteResult(null, null, n.status().name());
        };
    }

    @Override
    public boolean failRun(Payloads.FailRequest request) {
        return ports.failRun().fail(UUID.fromString(request.sagaId()), request.error());
    }

    @Override
    public boolean markCancelled(Payloads.SagaRequest request) {
        return ports.markCancelled().markCancelled(UUID.fromString(request.sagaId()));
    }
}
