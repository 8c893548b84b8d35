package dev.refinery.adapters.temporal;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs that an earlier version of {@link ProcessSagaWorkflow} began replay on this one: what a worker does with a
 * run in flight on a Temporal cluster across an upgrade. The histories were recorded by the version before pure
 * builtin steps became local activities (main at 9e1c59e): three echo steps, and echo, sleep 10 ms, echo — each step
 * an activity task, each recorded right after it. (Without the version gate, the replay fails: a nondeterminism
 * error at the first step, a local activity marker where the history has an activity task.)
 */
class ReplayTest {

    private static WorkflowExecutionHistory history(String name) throws IOException {
        try (InputStream in = ReplayTest.class.getResourceAsStream("histories/" + name)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(json.contains("EVENT_TYPE_ACTIVITY_TASK_SCHEDULED"), "recorded with steps as activity tasks");
            return WorkflowExecutionHistory.fromJson(json);
        }
    }

    @Test
    void runsBegunBeforePureStepsWereLocalActivitiesReplayAsTheyBegan() throws Exception {
        for (String name : new String[]{"three-echoes-before-pure-local.json", "echo-sleep-echo-before-pure-local.json"}) {
            WorkflowReplayer.replayWorkflowExecution(history(name), ProcessSagaWorkflow.class);
        }
    }
}
