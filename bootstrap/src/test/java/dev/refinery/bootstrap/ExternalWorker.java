package dev.refinery.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.temporal.activity.Activity;
import io.temporal.activity.DynamicActivity;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.EncodedValues;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;

/**
 * A worker in a process of its own, as a team's service in any SDK language would be: it serves
 * every activity type on one task queue of Refinery's Temporal. {@code Score} answers the length
 * of {@code name}; anything else echoes its input.
 *
 * <p>Arguments: TARGET TASK_QUEUE. It prints "worker ready" once polling.
 */
public final class ExternalWorker {
    public static void main(String[] args) throws InterruptedException {
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(args[0]).build());
        WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
        factory.newWorker(args[1]).registerActivitiesImplementations((DynamicActivity) ExternalWorker::execute);
        factory.start();
        System.out.println("worker ready");
        Thread.currentThread().join();
    }

    private static Object execute(EncodedValues args) {
        JsonNode input = args.get(0, JsonNode.class);
        if (Activity.getExecutionContext().getInfo().getActivityType().equals("Score")) {
            return JsonNodeFactory.instance.objectNode().put("score", input.path("name").asText().length());
        }
        return input;
    }
}
