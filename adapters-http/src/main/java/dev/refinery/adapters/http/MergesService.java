package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.ReadVibeUseCase;
import dev.refinery.application.refine.MergeCommand;
import dev.refinery.application.refine.MergeOutcome;
import dev.refinery.application.refine.MergeUseCase;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Optional;

/** {@code /v1/merges}: merge one branch into another as one refinement; conflicts come back to resolve. */
final class MergesService implements HttpService {
    private final MergeUseCase merge;
    private final ReadVibeUseCase read;
    private final MergeRequestMapper mapper = new MergeRequestMapper();
    private final Json json;
    private final HttpMetrics metrics;

    MergesService(MergeUseCase merge, ReadVibeUseCase read, Json json, HttpMetrics metrics) {
        this.merge = merge;
        this.read = read;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::merge).any("/", ErrorResponses.allow("POST"));
    }

    private void merge(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        MergeCommand command = mapper.command(json.readBody(req), AuthFilter.caller(req));
        MergeOutcome outcome = merge.merge(command);
        switch (outcome) {
            case MergeOutcome.Merged m -> {
                metrics.mergeOutcome("merged");
                res.header(HeaderNames.LOCATION, "/v1/refinements/" + m.refinement().id());
                json.send(res, 201, merged(m.refinement(), m.fastForwarded(), m.written()));
            }
            case MergeOutcome.Replayed r -> {
                metrics.mergeOutcome("replayed");
                json.send(res, 200, replayed(r.refinement()));
            }
            case MergeOutcome.KeyReused k -> {
                metrics.mergeOutcome("key_reused");
                throw Problem.idempotencyKeyReused(k.key(), "refinement " + k.first().id(), "refinement",
                        RefinementJson.refinement(k.first()));
            }
            case MergeOutcome.Conflicts c -> {
                metrics.mergeOutcome("conflicts");
                ArrayNode conflicts = json.array();
                c.conflicts().forEach(conflict -> conflicts.addObject()
                        .put("id", conflict.id().value())
                        .put("source", conflict.source().toString())
                        .put("target", conflict.target().toString()));
                throw Problem.conflict("merge-conflicts", c.conflicts().size() + " id(s) changed on both "
                        + command.source() + " and " + command.target()
                        + ": resolve each with \"source\", \"target\" or a vibe body; nothing was written")
                        .with("conflicts", conflicts);
            }
            case MergeOutcome.Invalid i -> {
                metrics.mergeOutcome("invalid");
                throw Problem.invalid("the merge breaks a rule; nothing was written", i.violations());
            }
            case MergeOutcome.Forbidden f -> {
                metrics.mergeOutcome("forbidden");
                throw Problem.forbidden(f.refusal().reason());
            }
            case MergeOutcome.NotFound n -> {
                metrics.mergeOutcome("not_found");
                throw Problem.notFound(n.what() + " does not exist");
            }
        }
    }

    private ObjectNode merged(Refinement refinement, List<VibeRef> fastForwarded, List<Vibe> written) {
        ObjectNode body = json.object();
        body.set("refinement", RefinementJson.refinement(refinement));
        body.set("fastForwarded", VibeJson.refs(fastForwarded));
        ArrayNode vibes = body.putArray("written");
        written.forEach(v -> vibes.add(VibeJson.vibe(v)));
        return body;
    }

    /**
     * The first result of a repeated idempotency key, rebuilt from its refinement: outputs on the target
     * were written by it, the others were made visible there.
     */
    private ObjectNode replayed(Refinement refinement) {
        List<VibeRef> written = refinement.outputRefs().stream()
                .filter(ref -> ref.branch().equals(refinement.branch())).toList();
        List<VibeRef> fastForwarded = refinement.outputRefs().stream()
                .filter(ref -> !ref.branch().equals(refinement.branch())).toList();
        List<Vibe> vibes = written.stream()
                .map(ref -> read.read(new Queries.ReadVibe(ref.branch(), ref.id(), Optional.of(ref.revision()),
                        Optional.empty())))
                .flatMap(Optional::stream)
                .toList();
        return merged(refinement, fastForwarded, vibes);
    }
}
