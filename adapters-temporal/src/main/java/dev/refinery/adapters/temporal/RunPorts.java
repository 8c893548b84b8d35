package dev.refinery.adapters.temporal;

import dev.refinery.application.process.RunService;
import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.process.StepService;

/** The use cases the activities delegate to. */
public record RunPorts(RunUseCases.LoadRunPlanUseCase loadPlan, RunUseCases.RecordStepOutputUseCase recordStep,
                       RunUseCases.BeginCompensationUseCase beginCompensation,
                       RunUseCases.RecordCompensationUseCase recordCompensation,
                       RunUseCases.CompleteRunUseCase completeRun, RunUseCases.FailRunUseCase failRun,
                       RunUseCases.MarkCancelledUseCase markCancelled, RunUseCases.ExecuteStepUseCase executeStep) {

    public RunPorts {
        if (loadPlan == null || recordStep == null || beginCompensation == null || recordCompensation == null
                || completeRun == null || failRun == null || markCancelled == null || executeStep == null) {
            throw new IllegalArgumentException("every use case is required");
        }
    }

    public static RunPorts of(RunService run, StepService steps) {
        return new RunPorts(run, run, run, run, run, run, run, steps);
    }
}
