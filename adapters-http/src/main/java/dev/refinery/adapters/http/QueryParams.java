package dev.refinery.adapters.http;

import dev.refinery.application.read.Queries;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.Revision;
import dev.refinery.domain.VibeId;
import io.helidon.webserver.http.ServerRequest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The query parameters and path id of one request, read strictly: a parameter the endpoint does not
 * know, one given twice, or one that does not parse is a 400 that names it and says why.
 */
final class QueryParams {
    private final ServerRequest req;

    private QueryParams(ServerRequest req) {
        this.req = req;
    }

    /** @param known the parameters this endpoint reads; any other is refused */
    static QueryParams of(ServerRequest req, String... known) {
        Set<String> allowed = Set.of(known);
        for (String name : new TreeSet<>(req.query().names())) {
            if (!allowed.contains(name)) {
                String expected = allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed));
                throw Problem.badRequest("unknown query parameter '" + name + "' (this endpoint reads: " + expected + ")");
            }
            if (req.query().all(name).size() > 1) {
                throw Problem.badRequest("query parameter '" + name + "' is given more than once");
            }
        }
        return new QueryParams(req);
    }

    Optional<String> text(String name) {
        return req.query().contains(name) ? Optional.of(req.query().get(name)) : Optional.empty();
    }

    <T> Optional<T> parsed(String name, Function<String, T> parser) {
        return text(name).map(value -> {
            try {
                return parser.apply(value);
            } catch (MalformedTextException e) {
                throw Problem.badRequest("query parameter '" + name + "': " + e.getMessage());
            }
        });
    }

    /** {@code branch}, {@code main} when absent. */
    BranchName branch() {
        return parsed("branch", BranchName::parse).orElse(BranchName.MAIN);
    }

    Optional<BranchName> optionalBranch(String name) {
        return parsed(name, BranchName::parse);
    }

    BranchName requiredBranch(String name) {
        return optionalBranch(name).orElseThrow(() -> Problem.badRequest("query parameter '" + name + "' is required"));
    }

    Optional<Revision> revision() {
        return parsed("revision", Revision::parse);
    }

    /** {@code asOf}: an ISO-8601 instant such as {@code 2026-01-31T12:00:00Z}. */
    Optional<Instant> asOf() {
        return text("asOf").map(value -> {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw Problem.badRequest("query parameter 'asOf': '" + value
                        + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        });
    }

    /** {@code limit}: 1 to {@value Queries#MAX_LIMIT}, {@value Queries#DEFAULT_LIMIT} when absent. */
    int limit() {
        return text("limit").map(value -> {
            int limit;
            try {
                limit = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > Queries.MAX_LIMIT || !value.matches("[0-9]+")) {
                throw Problem.badRequest("query parameter 'limit' must be a whole number from 1 to "
                        + Queries.MAX_LIMIT + ", not '" + value + "'");
            }
            return limit;
        }).orElse(Queries.DEFAULT_LIMIT);
    }

    Optional<String> cursor() {
        return text("cursor");
    }

    boolean flag(String name, boolean absent) {
        return text(name).map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Problem.badRequest("query parameter '" + name + "' must be true or false, not '" + value + "'");
        }).orElse(absent);
    }

    /** The id that is the tail of the path ({@code /v1/vibes/schemas/user}: {@code schemas/user}). */
    VibeId pathId() {
        String id = req.path().pathParameters().get("id");
        try {
            return VibeId.parse(id);
        } catch (MalformedTextException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }
}
