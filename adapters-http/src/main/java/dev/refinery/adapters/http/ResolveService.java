package dev.refinery.adapters.http;

import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.ResolveUriUseCase;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.Vibe;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/** {@code /v1/resolve}: the vibe an {@code aug:} URI points at, seen from a branch (422 for a bad URI). */
final class ResolveService implements HttpService {
    private final ResolveUriUseCase resolve;
    private final Json json;

    ResolveService(ResolveUriUseCase resolve, Json json) {
        this.resolve = resolve;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::resolve).any("/", ErrorResponses.allow("GET"));
    }

    private void resolve(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "uri", "branch", "asOf");
        String text = q.text("uri").orElseThrow(() -> Problem.badRequest("query parameter 'uri' is required"));
        AugUri uri;
        try {
            uri = AugUri.parse(text);
        } catch (MalformedTextException e) {
            throw Problem.invalid(e.getMessage(), List.of());
        }
        BranchName branch = q.branch();
        Vibe vibe = resolve.resolve(new Queries.ResolveUri(uri, branch, q.asOf()))
                .orElseThrow(() -> Problem.notFound(uri + " points at nothing visible from " + branch));
        json.send(res, 200, VibeJson.vibe(vibe));
    }
}
