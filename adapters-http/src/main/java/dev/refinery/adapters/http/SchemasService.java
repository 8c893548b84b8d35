package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.ResolvedSchemaUseCase;
import dev.refinery.application.read.ReadUseCases.SchemaOutcome;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.schema.SchemaView;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/schemas/{id}}: a vibe's schema stamped (as stored), bundled or inlined. */
final class SchemasService implements HttpService {
    private final ResolvedSchemaUseCase schemas;
    private final Json json;

    SchemasService(ResolvedSchemaUseCase schemas, Json json) {
        this.schemas = schemas;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{+id}", this::schema).any("/{+id}", ErrorResponses.allow("GET"));
    }

    private void schema(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "branch", "revision", "mode");
        VibeId id = q.pathId();
        BranchName branch = q.branch();
        SchemaView view = q.parsed("mode", SchemaView::parse).orElse(SchemaView.STAMPED);
        switch (schemas.schema(new Queries.ResolvedSchema(branch, id, q.revision(), view))) {
            case SchemaOutcome.Found found -> {
                ObjectNode body = json.object().put("ref", found.ref().toString()).put("mode", view.text());
                body.set("schema", found.schema());
                json.send(res, 200, body);
            }
            case SchemaOutcome.NotFound ignored ->
                    throw Problem.notFound("no revision of " + id + " is visible on " + branch + " as asked");
            case SchemaOutcome.TooLarge tooLarge -> throw Problem.of(422, "schema-too-large", "Unprocessable content",
                    "the " + view.text() + " schema is over the size cap: " + tooLarge.reason());
        }
    }
}
