package dev.refinery.adapters.http;

import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases.ListHeadsUseCase;
import dev.refinery.application.read.ReadUseCases.ReadVibeUseCase;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Arrays;

/** {@code /v1/vibes}: the heads visible on a branch, and one vibe (with its digest as ETag). */
final class VibesService implements HttpService {
    private final ReadVibeUseCase read;
    private final ListHeadsUseCase listHeads;
    private final Json json;

    VibesService(ReadVibeUseCase read, ListHeadsUseCase listHeads, Json json) {
        this.read = read;
        this.listHeads = listHeads;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .any("/", ErrorResponses.allow("GET"))
                .get("/{+id}", this::one)
                .any("/{+id}", ErrorResponses.allow("GET"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "branch", "prefix", "kind", "limit", "cursor");
        BranchName branch = q.branch();
        Queries.ListHeads query = new Queries.ListHeads(branch, q.text("prefix").orElse(""),
                q.parsed("kind", Kind::parse), q.limit(), q.cursor());
        json.send(res, 200, VibeJson.page(listHeads.list(query)
                .orElseThrow(() -> Problem.notFound("branch " + branch + " does not exist")), VibeJson::vibe));
    }

    private void one(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "branch", "revision", "asOf");
        VibeId id = q.pathId();
        BranchName branch = q.branch();
        Vibe vibe = read.read(new Queries.ReadVibe(branch, id, q.revision(), q.asOf()))
                .orElseThrow(() -> Problem.notFound("no revision of " + id + " is visible on " + branch
                        + " as asked"));
        String etag = '"' + vibe.digest().value() + '"';
        res.header(HeaderNames.ETAG, etag);
        if (matches(req.headers().values(HeaderNames.IF_NONE_MATCH), etag)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        json.send(res, 200, VibeJson.vibe(vibe));
    }

    /** RFC 9110 If-None-Match: {@code *} or any listed tag, compared weakly. */
    static boolean matches(Iterable<String> ifNoneMatch, String etag) {
        for (String header : ifNoneMatch) {
            boolean any = Arrays.stream(header.split(","))
                    .map(String::strip)
                    .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                    .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
            if (any) return true;
        }
        return false;
    }
}
