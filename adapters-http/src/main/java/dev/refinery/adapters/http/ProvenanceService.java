package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.Provenance;
import dev.refinery.application.read.ReadUseCases.ProvenanceUseCase;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeId;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/provenance/{id}}: a vibe with the refinement that wrote it, its author, prototype and inputs. */
final class ProvenanceService implements HttpService {
    private final ProvenanceUseCase provenance;
    private final Json json;

    ProvenanceService(ProvenanceUseCase provenance, Json json) {
        this.provenance = provenance;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{+id}", this::provenance).any("/{+id}", ErrorResponses.allow("GET"));
    }

    private void provenance(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "branch", "revision");
        VibeId id = q.pathId();
        BranchName branch = q.branch();
        Provenance p = provenance.provenance(new Queries.Provenance(branch, id, q.revision()))
                .orElseThrow(() -> Problem.notFound("no revision of " + id + " is visible on " + branch + " as asked"));
        ObjectNode body = json.object();
        body.set("vibe", VibeJson.vibe(p.vibe()));
        body.set("refinement", RefinementJson.refinement(p.refinement()));
        body.set("author", p.author().map(VibeJson::vibe).orElse(null));
        body.set("prototype", p.prototype().map(VibeJson::vibe).orElse(null));
        ArrayNode inputs = body.putArray("inputs");
        p.inputs().forEach(v -> inputs.add(VibeJson.vibe(v)));
        json.send(res, 200, body);
    }
}
