package dev.refinery.adapters.http;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every request by method, route template (never the raw path: ids would make
 * unbounded label values) and status; counts the outcomes of refines, merges and process starts and cancels.
 */
final class HttpMetrics implements Filter {
    private static final String SCOPE = "application";
    /** The resource of each {@code /v1} path and the name of its tail parameter. */
    static final Map<String, String> RESOURCES = Map.ofEntries(
            Map.entry("refinements", "{refinementId}"), Map.entry("vibes", "{id}"), Map.entry("resolve", ""),
            Map.entry("history", "{id}"), Map.entry("schemas", "{id}"), Map.entry("dependencies", "{id}"),
            Map.entry("dependents", "{id}"), Map.entry("impact", "{id}"), Map.entry("provenance", "{id}"),
            Map.entry("branches", "{name}"), Map.entry("diff", ""), Map.entry("merges", ""),
            Map.entry("processes", "{processId}"), Map.entry("tokens", "{id}"));
    /** The transparency log's fixed routes below {@code /v1/log/} (its leaves are {@code leaves/{refinementId}}). */
    private static final Set<String> LOG_ROUTES = Set.of("checkpoint", "key", "proof/inclusion", "proof/consistency");
    /** Sub-resources below a member: {@code /v1/processes/{processId}/cancel}. */
    static final Map<String, String> ACTIONS = Map.of("processes", "cancel");

    /** The methods counted by name; any other (a client may send any token) as "other", so labels stay bounded. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT");

    private static final Set<String> OBSERVERS = Set.of("health", "metrics");

    private final MeterRegistry registry;
    /**
     * The meters already made, by name and tag values: their number is bounded (route templates, methods, statuses,
     * outcomes), and looking a meter up in the registry costs more than the request's own counting.
     */
    private final ConcurrentMap<List<String>, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<List<String>, Counter> counters = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String method = METHODS.contains(req.prologue().method().text()) ? req.prologue().method().text() : "other";
        String route = route(req.path().path());
        // when sent, not when the chain returns: error handlers answer after the filters have unwound
        res.whenSent(() -> timer(method, route, Integer.toString(res.status().code()))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        chain.proceed();
    }

    /** How one refine ended: written, unchanged, replayed, key_reused, previewed, stale_base, invalid or not_found. */
    void refineOutcome(String outcome) {
        count("refinery.refine.outcomes", "Refines by outcome", outcome);
    }

    /** How one merge ended: merged, replayed, key_reused, conflicts, invalid or not_found. */
    void mergeOutcome(String outcome) {
        count("refinery.merge.outcomes", "Merges by outcome", outcome);
    }

    /** How one process start ended: started, replayed, key_reused, not_found or invalid. */
    void processStartOutcome(String outcome) {
        count("refinery.process.start.outcomes", "Process starts by outcome", outcome);
    }

    /** How one process cancel ended: cancel_requested, not_found or already_finished. */
    void processCancelOutcome(String outcome) {
        count("refinery.process.cancel.outcomes", "Process cancels by outcome", outcome);
    }

    private Timer timer(String method, String route, String status) {
        return timers.computeIfAbsent(List.of(method, route, status), k -> registry.getOrCreate(
                Timer.builder("refinery.http.requests")
                        .description("HTTP requests by method, route template and status")
                        .scope(SCOPE)
                        .tags(List.of(Tag.create("method", method), Tag.create("route", route),
                                Tag.create("status", status)))));
    }

    private void count(String name, String description, String outcome) {
        counters.computeIfAbsent(List.of(name, outcome), k -> registry.getOrCreate(Counter.builder(name)
                .description(description).scope(SCOPE).tags(List.of(Tag.create("outcome", outcome))))).increment();
    }

    /** The route template of a path: {@code /v1/vibes/schemas/user} is {@code /v1/vibes/{id}}. */
    static String route(String path) {
        if (path.startsWith("/v1/log/")) {
            String tail = path.substring("/v1/log/".length());
            if (LOG_ROUTES.contains(tail)) return path;
            if (tail.startsWith("leaves/") && tail.indexOf('/', 7) < 0) return "/v1/log/leaves/{refinementId}";
            return "other";
        }
        String[] parts = path.split("/", 4);  // "", "v1", resource, tail
        if (parts.length >= 3 && parts[0].isEmpty() && parts[1].equals("v1") && RESOURCES.containsKey(parts[2])) {
            boolean tail = parts.length == 4 && !parts[3].isEmpty();
            String action = ACTIONS.get(parts[2]);
            if (tail && action != null && parts[3].matches("[^/]+/" + action)) {
                return "/v1/" + parts[2] + "/" + RESOURCES.get(parts[2]) + "/" + action;
            }
            return "/v1/" + parts[2] + (tail ? "/" + (RESOURCES.get(parts[2]).isEmpty() ? "*" : RESOURCES.get(parts[2])) : "");
        }
        if (parts.length >= 3 && parts[0].isEmpty() && parts[1].equals("observe") && OBSERVERS.contains(parts[2])) {
            return "/observe/" + parts[2];
        }
        if (path.equals("/openapi")) return path;
        return "other";
    }
}
