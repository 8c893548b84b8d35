package dev.refinery.adapters.temporal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The saga's bookkeeping, which the workflow calls as local activities: each delegates to one use case of
 * {@link dev.refinery.application.process.RunUseCases} (one ledger transaction) and is a no-op when repeated.
 */
@ActivityInterface(namePrefix = SagaActivities.TYPE_PREFIX)
public interface SagaActivities {
    String TYPE_PREFIX = "Saga.";

    /** The run to execute; null for an unknown saga. */
    @ActivityMethod
    Payloads.Plan loadPlan(Payloads.SagaRequest request);

    @ActivityMethod
    boolean recordStep(Payloads.RecordStepRequest request);

    /** @return the compensation in force (the first one begun wins) */
    @ActivityMethod
    Payloads.Compensation beginCompensation(Payloads.BeginCompensationRequest request);

    @ActivityMethod
    boolean recordCompensation(Payloads.RecordCompensationRequest request);

    @ActivityMethod
    Payloads.CompleteResult completeRun(Payloads.CompleteRequest request);

    @ActivityMethod
    boolean failRun(Payloads.FailRequest request);

    @ActivityMethod
    boolean markCancelled(Payloads.SagaRequest request);
}
