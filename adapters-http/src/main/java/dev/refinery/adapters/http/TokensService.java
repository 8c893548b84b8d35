package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.auth.ListTokensUseCase;
import dev.refinery.application.auth.RevokeTokenUseCase;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.StoredToken;
import dev.refinery.application.auth.TokenId;
import dev.refinery.domain.MalformedTextException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Instant;

/** {@code /v1/tokens}: list the tokens (never their secrets) and revoke one; both for {@code admin} only. */
final class TokensService implements HttpService {
    private final ListTokensUseCase list;
    private final RevokeTokenUseCase revoke;
    private final Json json;

    TokensService(ListTokensUseCase list, RevokeTokenUseCase revoke, Json json) {
        this.list = list;
        this.revoke = revoke;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .any("/", ErrorResponses.allow("GET"))
                .delete("/{+id}", this::revoke)
                .any("/{+id}", ErrorResponses.allow("DELETE"));
    }

    private static void requireAdmin(ServerRequest req) {
        if (!AuthFilter.caller(req).may(Scope.ADMIN)) throw Problem.forbidden("managing tokens needs scope admin");
    }

    private void list(ServerRequest req, ServerResponse res) {
        requireAdmin(req);
        QueryParams.of(req);
        ObjectNode body = json.object();
        ArrayNode items = body.putArray("items");
        list.list().forEach(t -> items.add(token(t)));
        json.send(res, 200, body);
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        requireAdmin(req);
        QueryParams.of(req);
        TokenId id;
        try {
            id = TokenId.parse(req.path().pathParameters().get("id"));
        } catch (MalformedTextException e) {
            throw Problem.notFound("no token has id " + req.path().pathParameters().get("id") + " (" + e.reason() + ")");
        }
        revoke.revoke(id).orElseThrow(() -> Problem.notFound("no token has id " + id));
        res.status(204).send();
    }

    private ObjectNode token(StoredToken t) {
        ObjectNode o = json.object();
        o.put("id", t.id().value());
        o.put("role", t.principal().role().toString());
        ArrayNode scopes = o.putArray("scopes");
        t.principal().scopes().stream().sorted().forEach(s -> scopes.add(s.wireName()));
        ArrayNode branches = o.putArray("branches");
        t.principal().branches().forEach(b -> branches.add(b.text()));
        o.put("label", t.label());
        o.put("createdAt", t.createdAt().toString());
        o.put("expiresAt", t.expiresAt().map(Instant::toString).orElse(null));
        o.put("revoked", t.revokedAt().isPresent());
        o.put("revokedAt", t.revokedAt().map(Instant::toString).orElse(null));
        return o;
    }
}
