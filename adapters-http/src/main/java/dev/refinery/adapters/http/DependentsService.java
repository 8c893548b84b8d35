package dev.refinery.adapters.http;

import dev.refinery.application.port.Edge;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.DependentsUseCase;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/dependents/{id}}: what uses a revision, directly or transitively, a page at a time. */
final class DependentsService implements HttpService {
    private final DependentsUseCase dependents;
    private final Json json;

    DependentsService(DependentsUseCase dependents, Json json) {
        this.dependents = dependents;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{+id}", this::dependents).any("/{+id}", ErrorResponses.allow("GET"));
    }

    private void dependents(ServerRequest req, ServerResponse res) {
        Queries.Graph query = GraphQuery.of(req);
        json.send(res, 200, GraphJson.edges(dependents.dependents(query)
                .orElseThrow(() -> GraphQuery.notFound(query)), Edge::from));
    }
}
