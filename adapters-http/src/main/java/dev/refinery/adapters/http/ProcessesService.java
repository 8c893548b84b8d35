package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.process.ProcessUseCases.CancelOutcome;
import dev.refinery.application.process.ProcessUseCases.CancelProcessUseCase;
import dev.refinery.application.process.ProcessUseCases.GetProcessUseCase;
import dev.refinery.application.process.ProcessUseCases.ListProcesses;
import dev.refinery.application.process.ProcessUseCases.ListProcessesUseCase;
import dev.refinery.application.process.ProcessUseCases.StartOutcome;
import dev.refinery.application.process.ProcessUseCases.StartProcess;
import dev.refinery.application.process.ProcessUseCases.StartProcessUseCase;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.VibeId;
import dev.refinery.application.auth.Principal;
import dev.refinery.domain.VibeRef;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code /v1/processes}: start a run of a PROCESS vibe, read one, list them, cancel one. */
final class ProcessesService implements HttpService {
    private static final Set<String> FIELDS = Set.of("process", "branch", "input", "resultId", "budgets",
            "idempotencyKey");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final StartProcessUseCase start;
    private final GetProcessUseCase get;
    private final ListProcessesUseCase list;
    private final CancelProcessUseCase cancel;
    private final Json json;
    private final HttpMetrics metrics;

    ProcessesService(StartProcessUseCase start, GetProcessUseCase get, ListProcessesUseCase list,
                     CancelProcessUseCase cancel, Json json, HttpMetrics metrics) {
        this.start = start;
        this.get = get;
        this.list = list;
        this.cancel = cancel;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::start)
                .get("/", this::list)
                .any("/", ErrorResponses.allow("GET, POST"))
                .get("/{processId}", this::one)
                .any("/{processId}", ErrorResponses.allow("GET"))
                .post("/{processId}/cancel", this::cancel)
                .any("/{processId}/cancel", ErrorResponses.allow("POST"));
    }

    private void start(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        StartProcess command = command(json.readBody(req), AuthFilter.caller(req));
        StartOutcome outcome = start.start(command);
        metrics.processStartOutcome(outcomeName(outcome));
        switch (outcome) {
            case StartOutcome.Started s -> {
                res.header(HeaderNames.LOCATION, location(s.saga()));
                json.send(res, 202, ProcessJson.started(s.saga()));
            }
            case StartOutcome.Replayed r -> {
                res.header(HeaderNames.LOCATION, location(r.saga()));
                json.send(res, 200, ProcessJson.started(r.saga()));
            }
            case StartOutcome.KeyReused k -> throw Problem.idempotencyKeyReused(k.key(), "run " + k.first().id(),
                    "run", ProcessJson.started(k.first()));
            case StartOutcome.NotFound n -> throw Problem.notFound(n.what() + " does not exist");
            case StartOutcome.Forbidden f -> throw Problem.forbidden(f.refusal().reason());
            case StartOutcome.Invalid i -> throw Problem.invalid("the run cannot start; nothing was recorded",
                    i.violations());
        }
    }

    /**
     * {@code {"process": AUG_URI_OR_REF, "branch": "main", "input": ANY, "resultId": ID, "budgets": [AUG_URI_OR_REF…],
     * "idempotencyKey": K}}: only {@code process} is required; {@code input} is {@code {}} when left out.
     */
    private static StartProcess command(JsonNode body, Principal caller) {
        BodyReader in = new BodyReader();
        ObjectNode o = in.root(body, FIELDS);
        Optional<AugUri> process = in.requiredParsed(o, "", "process", ProcessesService::augUriOrRef);
        BranchName branch = in.parsed(o, "", "branch", BranchName::parse).orElse(BranchName.MAIN);
        JsonNode input = o.has("input") ? o.get("input") : JsonNodeFactory.instance.objectNode();
        Optional<VibeId> resultId = in.parsed(o, "", "resultId", VibeId::parse);
        List<AugUri> budgets = in.parsedList(o, "", "budgets", ProcessesService::augUriOrRef);
        Optional<String> key = RefineRequestMapper.idempotencyKey(in, o);
        in.throwIfAnything();
        try {
            return new StartProcess(process.orElseThrow(), branch, input, resultId, budgets, key, caller);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage(), List.of());
        }
    }

    /** An aug URI ({@code aug:/processes/x}) or a canonical ref ({@code main@processes/x?1}), which pins. */
    static AugUri augUriOrRef(String text) {
        if (AugUri.looksLikeAugUri(text)) return AugUri.parse(text);
        // with an '@' it means to be a ref: the ref's own reason says best what is wrong with it
        if (text.indexOf('@') >= 0) return AugUri.of(VibeRef.parse(text));
        throw new MalformedTextException("aug URI or ref", text, -1,
                "is neither an aug URI (aug:/ID) nor a ref (BRANCH@ID?REVISION)");
    }

    private static String location(SagaInstance saga) {
        return "/v1/processes/" + saga.id();
    }

    private static String outcomeName(StartOutcome outcome) {
        return switch (outcome) {
            case StartOutcome.Started s -> "started";
            case StartOutcome.Replayed r -> "replayed";
            case StartOutcome.KeyReused k -> "key_reused";
            case StartOutcome.NotFound n -> "not_found";
            case StartOutcome.Invalid i -> "invalid";
            case StartOutcome.Forbidden f -> "forbidden";
        };
    }

    private void list(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "status", "process", "stuckFor", "limit", "cursor");
        Optional<SagaStatus> status = q.text("status").map(ProcessesService::status);
        Optional<VibeRef> process = q.parsed("process", VibeRef::parse);
        Optional<Duration> stuckFor = q.text("stuckFor").map(ProcessesService::stuckFor);
        if (stuckFor.isPresent() && status.filter(s -> s != SagaStatus.RUNNING).isPresent()) {
            throw Problem.badRequest("query parameter 'stuckFor' lists RUNNING runs: it cannot go with status "
                    + status.get());
        }
        ListProcesses query;
        try {
            query = new ListProcesses(status, process, stuckFor, q.limit(), q.cursor());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        json.send(res, 200, VibeJson.page(list.list(query), ProcessJson::run));
    }

    private static SagaStatus status(String text) {
        for (SagaStatus s : SagaStatus.values()) {
            if (s.name().equals(text)) return s;
        }
        throw Problem.badRequest("query parameter 'status' must be one of " + Arrays.stream(SagaStatus.values())
                .map(Enum::name).collect(Collectors.joining(", ")) + ", not '" + text + "'");
    }

    private static Duration stuckFor(String text) {
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("query parameter 'stuckFor' must be an ISO-8601 duration such as PT5M, not '"
                    + text + "'");
        }
        if (d.isNegative()) throw Problem.badRequest("query parameter 'stuckFor' must not be negative, not '" + text + "'");
        return d;
    }

    private void one(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        UUID id = pathId(req);
        SagaInstance saga = get.get(id).orElseThrow(() -> Problem.notFound("process run " + id + " does not exist"));
        json.send(res, 200, ProcessJson.run(saga));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        UUID id = pathId(req);
        // no body is needed; one that is sent must be an empty object
        if (req.content().hasEntity()) {
            BodyReader in = new BodyReader();
            in.root(json.readBody(req), Set.of());
            in.throwIfAnything();
        }
        CancelOutcome outcome = cancel.cancel(id, AuthFilter.caller(req));
        switch (outcome) {
            case CancelOutcome.CancelRequested c -> {
                metrics.processCancelOutcome("cancel_requested");
                json.send(res, 202, ProcessJson.run(c.saga()));
            }
            case CancelOutcome.Forbidden f -> {
                metrics.processCancelOutcome("forbidden");
                throw Problem.forbidden(f.refusal().reason());
            }
            case CancelOutcome.NotFound n -> {
                metrics.processCancelOutcome("not_found");
                throw Problem.notFound("process run " + id + " does not exist");
            }
            case CancelOutcome.AlreadyFinished f -> {
                metrics.processCancelOutcome("already_finished");
                throw Problem.conflict("already-finished", "process run " + id + " is " + f.saga().status()
                                + " already: there is nothing to cancel")
                        .with("runStatus", VibeJson.text(f.saga().status().name()));
            }
        }
    }

    /** The run id of the path: a UUID, else 400 (as a refinement id that is not a number). */
    private static UUID pathId(ServerRequest req) {
        String text = req.path().pathParameters().get("processId");
        if (!UUID_TEXT.matcher(text).matches()) {
            throw Problem.badRequest("a process run id is a UUID such as 0b4f2c1e-8d3a-4f6b-9c2d-1e5f7a9b3c4d, not '"
                    + text + "'");
        }
        return UUID.fromString(text);
    }
}
