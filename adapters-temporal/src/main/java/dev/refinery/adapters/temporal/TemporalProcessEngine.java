package dev.refinery.adapters.temporal;

import dev.refinery.application.port.ProcessEngine;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.UUID;

/**
 * {@link ProcessEngine} on Temporal: one {@link ProcessWorkflow} per saga, with the saga id as workflow id.
 * A start while that workflow runs is refused by Temporal and so does nothing; a start after it closed (a
 * saga still RUNNING whose workflow was lost or terminated) runs it again from the recorded state.
 */
public final class TemporalProcessEngine implements ProcessEngine {
    private static final Logger LOG = LoggerFactory.getLogger(TemporalProcessEngine.class);

    private final WorkflowClient client;
    private final String taskQueue;

    public TemporalProcessEngine(WorkflowClient client, String taskQueue) {
        this.client = client;
        this.taskQueue = taskQueue;
    }

    @Override
    public void start(UUID sagaId) {
        ProcessWorkflow workflow = client.newWorkflowStub(ProcessWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(sagaId.toString())
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build());
        try {
            WorkflowClient.start(workflow::run, new Payloads.RunRequest(sagaId.toString()));
        } catch (WorkflowExecutionAlreadyStarted e) {
            LOG.debug("run {} is executing already", sagaId);
        }
    }

    @Override
    public void cancel(UUID sagaId) {
        try {
            client.newUntypedWorkflowStub(sagaId.toString(), Optional.empty(), Optional.empty()).cancel();
        } catch (WorkflowNotFoundException e) {
            LOG.debug("run {} is not executing: nothing to cancel", sagaId);
        }
    }
}
