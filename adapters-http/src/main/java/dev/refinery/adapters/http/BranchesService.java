package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.branch.BranchUseCases.CreateBranch;
import dev.refinery.application.branch.BranchUseCases.CreateBranchUseCase;
import dev.refinery.application.branch.BranchUseCases.CreateOutcome;
import dev.refinery.application.branch.BranchUseCases.GetBranchUseCase;
import dev.refinery.application.branch.BranchUseCases.ListBranchesUseCase;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.MalformedTextException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /v1/branches}: fork a branch, list them all, read one with its base and fork point. */
final class BranchesService implements HttpService {
    private static final Set<String> FIELDS = Set.of("name", "from");

    private final CreateBranchUseCase create;
    private final ListBranchesUseCase list;
    private final GetBranchUseCase get;
    private final Json json;

    BranchesService(CreateBranchUseCase create, ListBranchesUseCase list, GetBranchUseCase get, Json json) {
        this.create = create;
        this.list = list;
        this.get = get;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .any("/", ErrorResponses.allow("GET, POST"))
                .get("/{+name}", this::one)
                .any("/{+name}", ErrorResponses.allow("GET"));
    }

    private void create(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        CreateBranch command = command(json.readBody(req), req);
        switch (create.create(command)) {
            case CreateOutcome.Created created -> {
                res.header(HeaderNames.LOCATION, "/v1/branches/" + created.branch().name().value());
                json.send(res, 201, BranchJson.branch(created.branch()));
            }
            case CreateOutcome.AlreadyExists exists -> throw Problem.conflict("branch-exists",
                    "branch " + command.name() + " exists already").with("existing", BranchJson.branch(exists.existing()));
            case CreateOutcome.BaseNotFound base ->
                    throw Problem.notFound("branch " + base.base() + " to fork from does not exist");
            case CreateOutcome.Forbidden f -> throw Problem.forbidden(f.refusal().reason());
            case CreateOutcome.AuthorNotFound author -> throw Problem.invalid(
                    "the caller's role " + author.author() + " is not a ROLE vibe of this ledger", List.of());
        }
    }

    /** {@code {"name": "dev/x", "from": "main"}}; {@code from} is {@code main} when left out. */
    private static CreateBranch command(JsonNode body, ServerRequest req) {
        BodyReader in = new BodyReader();
        ObjectNode o = in.root(body, FIELDS);
        Optional<BranchName> name = in.requiredParsed(o, "", "name", BranchName::parse);
        Optional<BranchName> from = in.parsed(o, "", "from", BranchName::parse);
        in.throwIfAnything();
        return new CreateBranch(name.orElseThrow(), from.orElse(BranchName.MAIN), AuthFilter.caller(req));
    }

    private void list(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        ObjectNode body = json.object();
        ArrayNode items = body.putArray("items");
        list.list().forEach(b -> items.add(BranchJson.branch(b)));
        json.send(res, 200, body);
    }

    private void one(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        String text = req.path().pathParameters().get("name");
        BranchName name;
        try {
            name = BranchName.parse(text);
        } catch (MalformedTextException e) {
            throw Problem.badRequest(e.getMessage());
        }
        json.send(res, 200, BranchJson.branch(get.branch(name)
                .orElseThrow(() -> Problem.notFound("branch " + name + " does not exist"))));
    }
}
