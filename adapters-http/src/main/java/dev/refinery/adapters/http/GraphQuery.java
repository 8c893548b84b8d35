package dev.refinery.adapters.http;

import dev.refinery.application.read.Queries;
import io.helidon.webserver.http.ServerRequest;

/**
 * The query both directions of the dependency graph read: {@code branch}, {@code revision}, {@code transitive}, and
 * the page: {@code limit} and {@code cursor}.
 */
final class GraphQuery {
    private GraphQuery() {}

    static Queries.Graph of(ServerRequest req) {
        QueryParams q = QueryParams.of(req, "branch", "revision", "transitive", "limit", "cursor");
        return new Queries.Graph(q.branch(), q.pathId(), q.revision(), q.flag("transitive", false), q.limit(),
                q.cursor());
    }

    static Problem notFound(Queries.Graph query) {
        return Problem.notFound("no revision of " + query.id() + " is visible on " + query.branch() + " as asked");
    }
}
