package dev.refinery.adapters.http;

import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.HistoryUseCase;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeId;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/history/{id}}: the revisions of an id visible on a branch, newest first, a page at a time. */
final class HistoryService implements HttpService {
    private final HistoryUseCase history;
    private final Json json;

    HistoryService(HistoryUseCase history, Json json) {
        this.history = history;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{+id}", this::history).any("/{+id}", ErrorResponses.allow("GET"));
    }

    private void history(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "branch", "limit", "cursor");
        VibeId id = q.pathId();
        BranchName branch = q.branch();
        json.send(res, 200, VibeJson.page(history.history(new Queries.History(branch, id, q.limit(), q.cursor()))
                .orElseThrow(() -> Problem.notFound("no revision of " + id + " is visible on " + branch)),
                VibeJson::vibe));
    }
}
