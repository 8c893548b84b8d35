package dev.refinery.adapters.http;

import dev.refinery.application.port.Edge;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.DependenciesUseCase;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/dependencies/{id}}: what a revision's schema and prototype use, directly or transitively, by pages. */
final class DependenciesService implements HttpService {
    private final DependenciesUseCase dependencies;
    private final Json json;

    DependenciesService(DependenciesUseCase dependencies, Json json) {
        this.dependencies = dependencies;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{+id}", this::dependencies).any("/{+id}", ErrorResponses.allow("GET"));
    }

    private void dependencies(ServerRequest req, ServerResponse res) {
        Queries.Graph query = GraphQuery.of(req);
        json.send(res, 200, GraphJson.edges(dependencies.dependencies(query)
                .orElseThrow(() -> GraphQuery.notFound(query)), Edge::to));
    }
}
