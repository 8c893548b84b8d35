package dev.refinery.benchmarks;

import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where the time of a workflow run goes, from its Temporal history (event times are the server's): the run from
 * started to closed, each activity from scheduled to started (queued: waiting for a worker's poll) and from started
 * to completed (ran: the worker's call and its report), and the workflow tasks (the workflow code's turns) the
 * same way. Local activities run inside a workflow task's "ran" time; the history records each as a marker, so
 * they are counted by type but have no times of their own.
 */
final class RunAnatomy {
    /** Per activity type: how many a run has, and their times. */
    record Activity(long count, Latencies queued, Latencies ran) {}

    /** The name of the marker the Java SDK records a local activity's result in. */
    private static final String LOCAL_ACTIVITY_MARKER = "LocalActivity";

    private final int runs;
    private final long events;
    private final Latencies workflow = new Latencies();
    private final Latencies workflowTasks = new Latencies();
    private final Latencies workflowTaskQueued = new Latencies();
    private final Latencies workflowTaskRan = new Latencies();
    private final Map<String, Activity> activities = new TreeMap<>();
    private final Map<String, Long> localActivities = new TreeMap<>();

    private RunAnatomy(int runs, long events) {
        this.runs = runs;
        this.events = events;
    }

    /** Reads the histories of up to {@code sample} of {@code workflowIds}, spread evenly over the list. */
    static RunAnatomy of(WorkflowClient client, List<String> workflowIds, int sample) {
        List<String> chosen = new ArrayList<>();
        int n = Math.min(sample, workflowIds.size());
        for (int i = 0; i < n; i++) chosen.add(workflowIds.get((int) ((long) i * workflowIds.size() / n)));
        List<List<HistoryEvent>> histories = new ArrayList<>();
        long events = 0;
        for (String id : chosen) {
            List<HistoryEvent> h = client.fetchHistory(id).getEvents();
            histories.add(h);
            events += h.size();
        }
        RunAnatomy a = new RunAnatomy(chosen.size(), events);
        for (List<HistoryEvent> h : histories) a.add(h);
        return a;
    }

    private void add(List<HistoryEvent> history) {
        long started = -1;
        Map<Long, HistoryEvent> scheduled = new HashMap<>();
        Map<Long, Long> startedAt = new HashMap<>();
        Map<Long, Long> taskScheduledAt = new HashMap<>();
        long taskStartedAt = -1;
        long taskNanos = 0;
        for (HistoryEvent e : history) {
            long t = nanos(e.getEventTime());
            EventType type = e.getEventType();
            switch (type) {
                case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> started = t;
                case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
                     EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
                     EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
                    if (started >= 0) workflow.add(t - started);
                }
                case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> scheduled.put(e.getEventId(), e);
                case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
                        startedAt.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), t);
                case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
                    long id = e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
                    HistoryEvent s = scheduled.get(id);
                    Long st = startedAt.get(id);
                    if (s == null || st == null) break;
                    String name = s.getActivityTaskScheduledEventAttributes().getActivityType().getName();
                    Activity activity = activities.computeIfAbsent(name, k -> new Activity(0, new Latencies(), new Latencies()));
                    activity.queued().add(st - nanos(s.getEventTime()));
                    activity.ran().add(t - st);
                    activities.put(name, new Activity(activity.count() + 1, activity.queued(), activity.ran()));
                }
                case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> taskScheduledAt.put(e.getEventId(), t);
                // a workflow has one workflow task at a time: the last one started is the one that completes
                case EVENT_TYPE_WORKFLOW_TASK_STARTED -> taskStartedAt = t;
                case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> {
                    Long s = taskScheduledAt.get(e.getWorkflowTaskCompletedEventAttributes().getScheduledEventId());
                    if (s != null) taskNanos += t - s;
                    if (s != null && taskStartedAt >= s) {
                        workflowTaskQueued.add(taskStartedAt - s);
                        workflowTaskRan.add(t - taskStartedAt);
                    }
                }
                case EVENT_TYPE_MARKER_RECORDED -> {
                    var marker = e.getMarkerRecordedEventAttributes();
                    if (marker.getMarkerName().equals(LOCAL_ACTIVITY_MARKER) && marker.containsDetails("type")) {
                        String name = DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0,
                                Optional.of(marker.getDetailsOrThrow("type")), String.class, String.class);
                        localActivities.merge(name, 1L, Long::sum);
                    }
                }
                default -> {
                    // not timed here
                }
            }
        }
        workflowTasks.add(taskNanos);
    }

    private static long nanos(Timestamp t) {
        return t.getSeconds() * 1_000_000_000L + t.getNanos();
    }

    /** Prints a table: one row per activity type, then the workflow tasks and the whole run. */
    void print(Report report, String who) {
        report.line("%s: %d run(s) sampled, %.1f history events per run; workflow started → closed p50 %s ms, p99 %s ms",
                who, runs, runs == 0 ? 0.0 : (double) events / runs, Report.ms(workflow.p50()), Report.ms(workflow.p99()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("activity type", "per run", "queued p50 ms", "mean", "ran p50 ms", "mean", "mean total ms/run"));
        double sum = 0;
        for (var e : activities.entrySet()) {
            Activity a = e.getValue();
            double perRun = runs == 0 ? 0 : (double) a.count() / runs;
            double total = perRun * (a.queued().meanMillis() + a.ran().meanMillis());
            sum += total;
            rows.add(List.of(e.getKey(), Report.num(perRun), Report.ms(a.queued().p50()), Report.ms(a.queued().meanMillis()),
                    Report.ms(a.ran().p50()), Report.ms(a.ran().meanMillis()), Report.ms(total)));
        }
        rows.add(List.of("(all activities)", "", "", "", "", "", Report.ms(sum)));
        for (var e : localActivities.entrySet()) {
            rows.add(List.of(e.getKey() + " (local, in a workflow task)", Report.num(runs == 0 ? 0 : (double) e.getValue() / runs),
                    "", "", "", "", ""));
        }
        rows.add(List.of("(workflow tasks, scheduled → completed)",
                Report.num(runs == 0 ? 0 : (double) workflowTaskRan.count() / runs),
                Report.ms(workflowTaskQueued.p50()), Report.ms(workflowTaskQueued.meanMillis()),
                Report.ms(workflowTaskRan.p50()), Report.ms(workflowTaskRan.meanMillis()), Report.ms(workflowTasks.meanMillis())));
        rows.add(List.of("(the whole run, mean)", "", "", "", "", "", Report.ms(workflow.meanMillis())));
        report.table(rows);
    }
}
