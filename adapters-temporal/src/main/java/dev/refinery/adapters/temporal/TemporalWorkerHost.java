package dev.refinery.adapters.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A worker for Refinery's own task queue: {@link ProcessWorkflow} and its activities (bookkeeping, builtin and
 * http steps). {@code temporal-activity} steps are served elsewhere, by workers of their own task queues.
 */
public final class TemporalWorkerHost implements AutoCloseable {
    public static final String DEFAULT_TASK_QUEUE = "refinery";

    private final WorkerFactory factory;

    private TemporalWorkerHost(WorkerFactory factory) {
        this.factory = factory;
    }

    /** Registers the workflow and the activities over {@code ports} on {@code taskQueue} and starts polling. */
    public static TemporalWorkerHost start(WorkflowClient client, String taskQueue, RunPorts ports) {
        WorkerFactory factory = WorkerFactory.newInstance(client);
        register(factory.newWorker(taskQueue), ports);
        factory.start();
        return new TemporalWorkerHost(factory);
    }

    /** What a worker of Refinery's task queue serves (also for tests on a test environment's worker). */
    public static void register(Worker worker, RunPorts ports) {
        worker.registerWorkflowImplementationTypes(ProcessSagaWorkflow.class);
        worker.registerActivitiesImplementations(new LedgerSagaActivities(ports),
                new ApplicationStepActivities(ports.executeStep()));
    }

    @Override
    public void close() {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        factory.shutdownNow();
    }
}
