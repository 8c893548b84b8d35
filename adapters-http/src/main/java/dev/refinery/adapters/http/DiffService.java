package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.branch.BranchUseCases.DiffUseCase;
import dev.refinery.application.branch.BranchUseCases.Difference;
import dev.refinery.domain.BranchName;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/** {@code /v1/diff}: the ids whose visible head differs between two branches. */
final class DiffService implements HttpService {
    private final DiffUseCase diff;
    private final Json json;

    DiffService(DiffUseCase diff, Json json) {
        this.diff = diff;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::diff).any("/", ErrorResponses.allow("GET"));
    }

    private void diff(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "from", "to");
        BranchName from = q.requiredBranch("from");
        BranchName to = q.requiredBranch("to");
        List<Difference> differences = diff.diff(from, to)
                .orElseThrow(() -> Problem.notFound("branch " + from + " or " + to + " does not exist"));
        ObjectNode body = json.object();
        ArrayNode items = body.putArray("items");
        differences.forEach(d -> items.add(BranchJson.difference(d)));
        json.send(res, 200, body);
    }
}
