package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.log.LogUseCases.LeafUseCase;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.GetRefinementUseCase;
import dev.refinery.application.read.ReadUseCases.ListRefinementsUseCase;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineUseCase;
import dev.refinery.application.refine.RefinedVibe;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.VibeRef;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Optional;

/** {@code /v1/refinements}: refine (the one way anything is written), the log, and one refinement. */
final class RefinementsService implements HttpService {
    private final RefineUseCase refine;
    private final GetRefinementUseCase getRefinement;
    private final ListRefinementsUseCase listRefinements;
    private final LeafUseCase logLeaf;
    private final RefineRequestMapper mapper;
    private final Json json;
    private final HttpMetrics metrics;

    RefinementsService(RefineUseCase refine, GetRefinementUseCase getRefinement, ListRefinementsUseCase listRefinements,
                       LeafUseCase logLeaf, RefineRequestMapper mapper, Json json, HttpMetrics metrics) {
        this.refine = refine;
        this.getRefinement = getRefinement;
        this.listRefinements = listRefinements;
        this.logLeaf = logLeaf;
        this.mapper = mapper;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::refine)
                .get("/", this::list)
                .any("/", ErrorResponses.allow("GET, POST"))
                .get("/{refinementId}", this::one)
                .any("/{refinementId}", ErrorResponses.allow("GET"));
    }

    private void refine(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        RefineCommand command = mapper.command(json.readBody(req), AuthFilter.caller(req));
        RefineOutcome outcome = refine.refine(command);
        metrics.refineOutcome(outcomeName(outcome));
        switch (outcome) {
            case RefineOutcome.Written w when w.refinement().isPresent() -> {
                res.header(HeaderNames.LOCATION, "/v1/refinements/" + w.refinement().get().id());
                json.send(res, 201, written(w.refinement(), w.vibes()));
            }
            case RefineOutcome.Written w -> json.send(res, 200, written(Optional.empty(), w.vibes()));
            case RefineOutcome.Replayed r -> json.send(res, 200, written(Optional.of(r.refinement()), r.vibes()));
            case RefineOutcome.KeyReused k -> throw Problem.idempotencyKeyReused(k.key(),
                    "refinement " + k.first().id(), "refinement", RefinementJson.refinement(k.first()));
            case RefineOutcome.Previewed p -> {
                ObjectNode body = json.object().put("dryRun", true);
                body.set("vibes", vibes(p.vibes()));
                ArrayNode impact = body.putArray("impact");
                p.impact().forEach(report -> impact.add(GraphJson.report(report)));
                json.send(res, 200, body);
            }
            case RefineOutcome.StaleBase s -> throw Problem.conflict("stale-base", "base " + s.base()
                            + " is not the current head of " + s.id() + " on " + command.branch()
                            + s.currentHead().map(h -> " (the head is " + h + ")").orElse(" (it has no head there)"))
                    .with("id", VibeJson.text(s.id().value()))
                    .with("base", VibeJson.text(s.base().toString()))
                    .with("currentHead", VibeJson.text(VibeJson.refOrNull(s.currentHead())));
            case RefineOutcome.Invalid i -> throw Problem.invalid("the refinement breaks a rule; nothing was written",
                    i.violations());
            case RefineOutcome.NotFound n -> throw Problem.notFound(n.what() + " does not exist");
            case RefineOutcome.Forbidden f -> throw Problem.forbidden(f.refusal().reason());
        }
    }

    private ObjectNode written(Optional<Refinement> refinement, List<RefinedVibe> vibes) {
        ObjectNode body = json.object();
        body.set("refinement", refinement.map(RefinementJson::refinement).orElse(null));
        body.set("vibes", vibes(vibes));
        return body;
    }

    private ArrayNode vibes(List<RefinedVibe> vibes) {
        ArrayNode a = json.array();
        vibes.forEach(v -> a.add(VibeJson.refined(v)));
        return a;
    }

    private static String outcomeName(RefineOutcome outcome) {
        return switch (outcome) {
            case RefineOutcome.Written w -> w.refinement().isPresent() ? "written" : "unchanged";
            case RefineOutcome.Replayed r -> "replayed";
            case RefineOutcome.KeyReused k -> "key_reused";
            case RefineOutcome.Previewed p -> "previewed";
            case RefineOutcome.StaleBase s -> "stale_base";
            case RefineOutcome.Invalid i -> "invalid";
            case RefineOutcome.NotFound n -> "not_found";
            case RefineOutcome.Forbidden f -> "forbidden";
        };
    }

    private void list(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "branch", "author", "limit", "cursor");
        Queries.ListRefinements query = new Queries.ListRefinements(q.optionalBranch("branch"),
                q.parsed("author", VibeRef::parse), q.limit(), q.cursor());
        json.send(res, 200, VibeJson.page(listRefinements.list(query), RefinementJson::refinement));
    }

    private void one(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        String text = req.path().pathParameters().get("refinementId");
        long id = parseId(text);
        Refinement r = getRefinement.refinement(id)
                .orElseThrow(() -> Problem.notFound("refinement " + id + " does not exist"));
        ObjectNode body = RefinementJson.refinement(r);
        // the leaf index once the sequencer has integrated it (DESIGN.md §4); null until then
        logLeaf.leaf(id).ifPresentOrElse(e -> body.put("logIndex", e.index()), () -> body.putNull("logIndex"));
        json.send(res, 200, body);
    }

    private static long parseId(String text) {
        try {
            long id = Long.parseLong(text);
            if (id >= 1 && text.matches("[0-9]+")) return id;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Problem.badRequest("a refinement id is a positive whole number, not '" + text + "'");
    }
}
