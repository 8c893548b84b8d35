package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.process.RunUseCases;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.process.CapabilityResult;
import dev.refinery.domain.process.CapabilitySpec;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;

import java.util.UUID;

/** {@link StepActivities} over the application's step execution; heartbeats reach Temporal. */
public final class ApplicationStepActivities implements StepActivities {
    private final RunUseCases.ExecuteStepUseCase execute;

    public ApplicationStepActivities(RunUseCases.ExecuteStepUseCase execute) {
        this.execute = execute;
    }

    @Override
    public JsonNode call(Payloads.StepRequest request) {
        CapabilitySpec spec = CapabilitySpec.parse(request.capability().spec()).orElseThrow();
        ActivityExecutionContext context = Activity.getExecutionContext();
        RunUseCases.StepCall call = new RunUseCases.StepCall(UUID.fromString(request.sagaId()), request.step(),
                new BranchName(request.branch()), VibeRef.parse(request.capability().ref()), spec,
                Payloads.orNull(request.input()), request.idempotencyKey());
        return switch (execute.execute(call, () -> context.heartbeat(null))) {
            case CapabilityResult.Succeeded s -> s.output();
            case CapabilityResult.Failed f when f.retryable() -> throw ApplicationFailure.newFailure(f.message(), CAPABILITY_FAILED);
            case CapabilityResult.Failed f -> throw ApplicationFailure.newNonRetryableFailure(f.message(), CAPABILITY_FAILED);
        };
    }
}
