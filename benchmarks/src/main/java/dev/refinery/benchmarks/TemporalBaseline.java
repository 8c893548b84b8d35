package dev.refinery.benchmarks;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The baseline of item 5: a plain Temporal SDK workflow calling 3 no-op activities one after the other, run by a
 * worker in the benchmark's JVM (default {@link WorkerFactory} options, as Refinery's own worker has) on a task
 * queue of its own of the Temporal server it is given — Refinery's embedded one, so both run on the same server.
 */
public final class TemporalBaseline implements AutoCloseable {
    static final String TASK_QUEUE = "bench-baseline";

    /** Three activities, each answering its input. */
    @WorkflowInterface
    public interface ThreeSteps {
        @WorkflowMethod
        String run(String input);
    }

    @ActivityInterface
    public interface NoOps {
        String first(String input);

        String second(String input);

        String third(String input);
    }

    /** The activities run in order, each with the output of the one before; the options are the SDK's defaults but the required timeout. */
    public static final class ThreeStepsImpl implements ThreeSteps {
        private final NoOps steps = Workflow.newActivityStub(NoOps.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

        @Override
        public String run(String input) {
            return steps.third(steps.second(steps.first(input)));
        }
    }

    public static final class NoOpsImpl implements NoOps {
        @Override
        public String first(String input) {
            return input;
        }

        @Override
        public String second(String input) {
            return input;
        }

        @Override
        public String third(String input) {
            return input;
        }
    }

    private final WorkflowClient client;
    private final WorkerFactory factory;

    private TemporalBaseline(WorkflowClient client, WorkerFactory factory) {
        this.client = client;
        this.factory = factory;
    }

    /** Registers the workflow and its activities on {@link #TASK_QUEUE} and starts polling. */
    static TemporalBaseline start(WorkflowClient client) {
        WorkerFactory factory = WorkerFactory.newInstance(client);
        var worker = factory.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(ThreeStepsImpl.class);
        worker.registerActivitiesImplementations(new NoOpsImpl());
        factory.start();
        return new TemporalBaseline(client, factory);
    }

    /** Starts one workflow and waits for its result (a long poll on the server, as {@link WorkflowStub#getResult} does). */
    String run(String workflowId, String input, Duration timeout) throws TimeoutException {
        ThreeSteps stub = client.newWorkflowStub(ThreeSteps.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE)
                .setWorkflowId(workflowId)
                .build());
        WorkflowClient.start(stub::run, input);
        return WorkflowStub.fromTyped(stub).getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, String.class);
    }

    @Override
    public void close() {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        factory.shutdownNow();
    }
}
