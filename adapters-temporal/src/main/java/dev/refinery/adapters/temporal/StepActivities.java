package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Calls of {@code builtin} and {@code http} capabilities, delegated to
 * {@link dev.refinery.application.process.RunUseCases.ExecuteStepUseCase}. A capability's failure is an
 * {@link io.temporal.failure.ApplicationFailure} of type {@value #CAPABILITY_FAILED}, non-retryable when the
 * capability says another try cannot help.
 */
@ActivityInterface(namePrefix = StepActivities.TYPE_PREFIX)
public interface StepActivities {
    String TYPE_PREFIX = "Step.";
    String CAPABILITY_FAILED = "CapabilityFailed";

    /** The capability's output (null for JSON null). */
    @ActivityMethod
    JsonNode call(Payloads.StepRequest request);
}
