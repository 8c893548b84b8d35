package dev.refinery.adapters.http;

import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.ImpactUseCase;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeId;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/impact/{id}}: the current heads on a branch that depend on any revision of an id, a page at a time. */
final class ImpactService implements HttpService {
    private final ImpactUseCase impact;
    private final Json json;

    ImpactService(ImpactUseCase impact, Json json) {
        this.impact = impact;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{+id}", this::impact).any("/{+id}", ErrorResponses.allow("GET"));
    }

    private void impact(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "branch", "limit", "cursor");
        VibeId id = q.pathId();
        BranchName branch = q.branch();
        json.send(res, 200, GraphJson.impact(impact.impact(new Queries.Impact(branch, id, q.limit(), q.cursor()))
                .orElseThrow(() -> Problem.notFound("no revision of " + id + " is visible on " + branch))));
    }
}
