package dev.refinery.domain.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refinery's own task queues and activity types, which no capability may name: a {@code temporal-activity}
 * capability on Refinery's queue calling {@code Saga.CompleteRun} or {@code Saga.MarkCancelled} would complete or
 * cancel any run, whoever wrote the process. Names are compared without case, so that no spelling slips through a
 * server that folds it.
 *
 * @param taskQueues   the queues Refinery's workers poll
 * @param typePrefixes the prefixes of Refinery's activity types ({@code Saga.}, {@code Step.})
 */
public record InternalActivities(Set<String> taskQueues, Set<String> typePrefixes) {
    /** Names nothing: for wirings without Temporal. */
    public static final InternalActivities NONE = new InternalActivities(Set.of(), Set.of());

    public InternalActivities {
        taskQueues = Set.copyOf(taskQueues);
        typePrefixes = Set.copyOf(typePrefixes);
    }

    /**
     * Why a capability's {@code context} may not be written or run: empty unless it is a {@code temporal-activity}
     * naming one of Refinery's queues or activity types. Violations point into the context.
     */
    public List<Violation> refusals(JsonNode context) {
        List<Violation> refusals = new ArrayList<>();
        if (context == null || !CapabilitySpec.TEMPORAL_ACTIVITY.equals(context.path("executor").textValue())) {
            return refusals;
        }
        String queue = context.path("taskQueue").textValue();
        if (queue != null && taskQueues.stream().anyMatch(q -> fold(q).equals(fold(queue)))) {
            refusals.add(new Violation("/taskQueue", "\"" + queue + "\" is one of Refinery's own task queues "
                    + "(internal activities are not capabilities): name the queue your worker polls"));
        }
        String type = context.path("activityType").textValue();
        if (type != null && typePrefixes.stream().anyMatch(p -> fold(type).startsWith(fold(p)))) {
            refusals.add(new Violation("/activityType", "\"" + type + "\" is one of Refinery's internal activity "
                    + "types (" + String.join(", ", typePrefixes.stream().sorted().map(p -> p + "*").toList())
                    + "), which capabilities may not call"));
        }
        return refusals;
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
