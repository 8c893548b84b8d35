package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@code temporal-activity} capability as an outside team would serve it on its own task queue: it knows
 * nothing of Refinery, only the activity type name and JSON in, JSON out.
 */
@ActivityInterface
public interface ScoringActivities {
    String TASK_QUEUE = "scoring";

    @ActivityMethod(name = "Score")
    JsonNode score(JsonNode input);

    @ActivityMethod(name = "Unscore")
    JsonNode unscore(JsonNode input);

    /** Scores by the length of {@code /profile/name}; keeps every call. */
    final class Served implements ScoringActivities {
        final List<JsonNode> calls = new CopyOnWriteArrayList<>();
        final List<JsonNode> undone = new CopyOnWriteArrayList<>();

        @Override
        public JsonNode score(JsonNode input) {
            calls.add(input);
            return JsonNodeFactory.instance.objectNode().put("score", input.path("profile").path("name").asText().length() * 10);
        }

        @Override
        public JsonNode unscore(JsonNode input) {
            undone.add(input);
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
