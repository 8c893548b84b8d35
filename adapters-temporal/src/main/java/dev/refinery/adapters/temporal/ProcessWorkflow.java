package dev.refinery.adapters.temporal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs one process run (a saga) to its end: the steps not recorded yet, in order, each recorded as it
 * completes; then the result, written through refine in the transaction that marks the saga COMPLETED. A
 * failed step, a spent budget or a cancel compensates the steps done, in reverse, and ends the saga FAILED or
 * CANCELLED. The workflow id is the saga id; a run restarted on the same saga goes on from its recorded state.
 */
@WorkflowInterface
public interface ProcessWorkflow {
    @WorkflowMethod(name = "RefineryProcess")
    Payloads.RunOutcome run(Payloads.RunRequest request);
}
