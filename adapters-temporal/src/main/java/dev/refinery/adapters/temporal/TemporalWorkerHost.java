package dev.refinery.adapters.temporal;

import dev.refinery.domain.process.InternalActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The workers of Refinery's own task queues. {@code temporal-activity} steps are served elsewhere, by workers of
 * their own task queues, which no capability may share with Refinery ({@link #internalActivities}):
 * <ul>
 *   <li>the task queue ({@code refinery}) runs {@link ProcessWorkflow} and nothing else: its bookkeeping
 *       ({@link SagaActivities}) and pure builtin steps are local activities, in the workflow task, and the worker
 *       polls no activity tasks there, so no activity scheduled on that queue by anyone reaches them;</li>
 *   <li>{@link #stepQueue its step queue} ({@code refinery-steps}) runs the other builtin and http steps
 *       ({@link StepActivities}).</li>
 * </ul>
 */
public final class TemporalWorkerHost implements AutoCloseable {
    public static final String DEFAULT_TASK_QUEUE = "refinery";
    /** What the types of Refinery's own activities begin with. */
    public static final Set<String> INTERNAL_TYPE_PREFIXES = Set.of(SagaActivities.TYPE_PREFIX, StepActivities.TYPE_PREFIX);

    /** The workflow worker: workflows and local activities only. */
    static final WorkerOptions WORKFLOW_WORKER = WorkerOptions.newBuilder().setLocalActivityWorkerOnly(true).build();

    private final WorkerFactory factory;

    private TemporalWorkerHost(WorkerFactory factory) {
        this.factory = factory;
    }

    /** The queue of the step activities of the workflows on {@code taskQueue}. */
    public static String stepQueue(String taskQueue) {
        return taskQueue + "-steps";
    }

    /** The task queues and activity types of Refinery on {@code taskQueue}, which no capability may name. */
    public static InternalActivities internalActivities(String taskQueue) {
        return new InternalActivities(Set.of(taskQueue, stepQueue(taskQueue)), INTERNAL_TYPE_PREFIXES);
    }

    /** Registers the workflow and the activities over {@code ports} on {@code taskQueue} and its step queue, and polls. */
    public static TemporalWorkerHost start(WorkflowClient client, String taskQueue, RunPorts ports) {
        WorkerFactory factory = WorkerFactory.newInstance(client);
        register(factory::newWorker, taskQueue, ports);
        factory.start();
        return new TemporalWorkerHost(factory);
    }

    /**
     * What Refinery's workers serve, on workers made by {@code newWorker} (a factory's, or a test environment's):
     * the workflow worker of {@code taskQueue} and the worker of its {@link #stepQueue}.
     */
    public static void register(BiFunction<String, WorkerOptions, Worker> newWorker, String taskQueue, RunPorts ports) {
        Worker workflows = newWorker.apply(taskQueue, WORKFLOW_WORKER);
        workflows.registerWorkflowImplementationTypes(ProcessSagaWorkflow.class);
        workflows.registerActivitiesImplementations(new LedgerSagaActivities(ports),
                new ApplicationStepActivities(ports.executeStep()));
        newWorker.apply(stepQueue(taskQueue), WorkerOptions.getDefaultInstance())
                .registerActivitiesImplementations(new ApplicationStepActivities(ports.executeStep()));
    }

    @Override
    public void close() {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        factory.shutdownNow();
    }
}
