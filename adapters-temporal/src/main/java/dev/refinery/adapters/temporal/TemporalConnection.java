package dev.refinery.adapters.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A client of a Temporal frontend ({@code host:port}): the embedded server's or a real cluster's. */
public final class TemporalConnection implements AutoCloseable {
    private final WorkflowServiceStubs stubs;
    private final WorkflowClient client;

    private TemporalConnection(WorkflowServiceStubs stubs, WorkflowClient client) {
        this.stubs = stubs;
        this.client = client;
    }

    public static TemporalConnection connect(String target, String namespace) {
        return connect(target, namespace, true);
    }

    /**
     * @param workerHeartbeats whether workers on this connection report to the server; off for the embedded
     *                         (test) server, which does not take them: the SDK would warn of it on each start
     */
    public static TemporalConnection connect(String target, String namespace, boolean workerHeartbeats) {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        WorkflowClientOptions.Builder options = WorkflowClientOptions.newBuilder().setNamespace(namespace);
        if (!workerHeartbeats) options.setWorkerHeartbeatInterval(Duration.ofSeconds(-1)); // negative: none
        return new TemporalConnection(stubs, WorkflowClient.newInstance(stubs, options.build()));
    }

    public WorkflowClient client() {
        return client;
    }

    /**
     * Closes the channel, cancelling the calls still open. Close the workers on it first: a worker's shutdown sends
     * the server a ShutdownWorker call that the embedded (test) server never answers; a graceful shutdown left that
     * call open until the server went away, and the SDK logged its cancellation as a warning with a stack trace.
     * Cancelled by the channel's own shutdown, it is a case the SDK expects and passes over.
     */
    @Override
    public void close() {
        stubs.shutdownNow();
        stubs.awaitTermination(5, TimeUnit.SECONDS);
    }
}
