package dev.refinery.adapters.http;

import dev.refinery.application.auth.AuthenticateUseCase;
import dev.refinery.application.auth.Principal;
import dev.refinery.application.auth.Scope;
import dev.refinery.domain.VibeRef;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * API.md's authentication for every {@code /v1} call. With tokens: no or an unknown bearer token is 401
 * (with {@code WWW-Authenticate: Bearer}); reads need scope {@code read}, everything else {@code write}
 * ({@code admin} covers both), else 403. Without: everyone is the root role. The caller is left in the
 * request's context for the handlers ({@link #caller}): the author of every write.
 */
final class AuthFilter implements Filter {
    /** The role that authors everything when nobody is asked who they are (created by the ledger's genesis). */
    static final VibeRef ROOT_ROLE = VibeRef.of("main", "roles/root", 1);
    private static final Principal ROOT = new Principal(ROOT_ROLE, EnumSet.of(Scope.ADMIN));
    private static final String REALM = "Bearer realm=\"refinery\"";

    private final AuthMode mode;
    private final AuthenticateUseCase authenticate;
    private final ErrorResponses errors;

    AuthFilter(AuthMode mode, AuthenticateUseCase authenticate, ErrorResponses errors) {
        this.mode = mode;
        this.authenticate = authenticate;
        this.errors = errors;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!isApi(req.path().path())) {
            chain.proceed();
            return;
        }
        Optional<Principal> caller = mode == AuthMode.NONE ? Optional.of(ROOT) : authenticate(req);
        if (caller.isEmpty()) {
            boolean presented = req.headers().contains(HeaderNames.AUTHORIZATION);
            errors.send(res, Problem.of(401, "unauthorized", "Unauthorized", presented
                            ? "the bearer token is not one this server issued, or it has expired or been revoked"
                            : "this API needs an Authorization: Bearer TOKEN header")
                    .withHeader(HeaderNames.WWW_AUTHENTICATE.defaultCase(),
                            presented ? REALM + ", error=\"invalid_token\"" : REALM));
            return;
        }
        Scope needed = isRead(req.prologue().method()) ? Scope.READ : Scope.WRITE;
        if (!caller.get().may(needed)) {
            errors.send(res, Problem.of(403, "forbidden", "Forbidden",
                            "this call needs scope " + needed.wireName() + ", which the token does not have")
                    .withHeader(HeaderNames.WWW_AUTHENTICATE.defaultCase(),
                            REALM + ", error=\"insufficient_scope\", scope=\"" + needed.wireName() + "\""));
            return;
        }
        req.context().register(caller.get());
        chain.proceed();
    }

    private Optional<Principal> authenticate(RoutingRequest req) {
        List<String> values = req.headers().values(HeaderNames.AUTHORIZATION);
        if (values.size() != 1) return Optional.empty();
        String value = values.getFirst().strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) return Optional.empty();
        String token = value.substring(space + 1).strip();
        return token.isEmpty() ? Optional.empty() : authenticate.authenticate(token);
    }

    private static boolean isApi(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }

    private static boolean isRead(Method method) {
        return method.equals(Method.GET) || method.equals(Method.HEAD) || method.equals(Method.OPTIONS);
    }

    /** The caller this filter let through; every {@code /v1} handler has one. */
    static Principal caller(ServerRequest req) {
        return req.context().get(Principal.class)
                .orElseThrow(() -> new IllegalStateException("no caller: the auth filter did not run for this route"));
    }
}
