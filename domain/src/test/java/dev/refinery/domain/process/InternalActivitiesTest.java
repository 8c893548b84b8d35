package dev.refinery.domain.process;

import dev.refinery.domain.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.refinery.domain.process.ProcessJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InternalActivitiesTest {
    private static final InternalActivities REFINERY =
            new InternalActivities(Set.of("refinery", "refinery-steps"), Set.of("Saga.", "Step."));

    private static List<String> refused(String context) {
        return REFINERY.refusals(json(context)).stream().map(Violation::pointer).toList();
    }

    @Test
    void aCapabilityOnRefinerysQueueCallingTheBookkeepingIsRefusedOnBothCounts() {
        assertEquals(List.of("/taskQueue", "/activityType"),
                refused("{'executor': 'temporal-activity', 'activityType': 'Saga.CompleteRun', 'taskQueue': 'refinery'}"));
    }

    @Test
    void anyOfRefinerysQueuesAndTypesIsRefusedWhateverItsCase() {
        assertEquals(List.of("/taskQueue"),
                refused("{'executor': 'temporal-activity', 'activityType': 'Score', 'taskQueue': 'Refinery-Steps'}"));
        assertEquals(List.of("/activityType"),
                refused("{'executor': 'temporal-activity', 'activityType': 'saga.markCancelled', 'taskQueue': 'other'}"));
        assertEquals(List.of("/activityType"),
                refused("{'executor': 'temporal-activity', 'activityType': 'Step.Call', 'taskQueue': 'other'}"));
    }

    @Test
    void otherQueuesTypesAndExecutorsPass() {
        assertTrue(refused("{'executor': 'temporal-activity', 'activityType': 'Score', 'taskQueue': 'scoring'}").isEmpty());
        assertTrue(refused("{'executor': 'temporal-activity', 'activityType': 'Sagas', 'taskQueue': 'refinery2'}").isEmpty());
        assertTrue(refused("{'executor': 'builtin', 'function': 'echo', 'taskQueue': 'refinery'}").isEmpty());
        assertTrue(refused("{'executor': 'temporal-activity'}").isEmpty(), "what cannot parse is another rule's");
        assertTrue(InternalActivities.NONE.refusals(
                json("{'executor': 'temporal-activity', 'activityType': 'Saga.CompleteRun', 'taskQueue': 'refinery'}")).isEmpty());
    }
}
