package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.Violation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document, thrown from anywhere in a handler and rendered by the routing's error
 * handler. It carries no stack trace: a problem is an answer, not a bug.
 */
final class Problem extends RuntimeException {
    private static final String TYPE_PREFIX = "urn:refinery:problem:";

    private final int status;
    private final String type;
    private final String title;
    private final List<Violation> errors;
    private final Map<String, JsonNode> members;
    private final Map<String, String> headers;

    private Problem(int status, String slug, String title, String detail, List<Violation> errors,
                    Map<String, JsonNode> members, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.type = TYPE_PREFIX + slug;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static Problem of(int status, String slug, String title, String detail) {
        return new Problem(status, slug, title, detail, List.of(), Map.of(), Map.of());
    }

    /** The request is not what this endpoint reads: malformed, wrongly shaped, or a bad parameter. */
    static Problem badRequest(String detail) {
        return of(400, "bad-request", "Bad request", detail);
    }

    static Problem badRequest(String detail, List<Violation> errors) {
        return badRequest(detail).withErrors(errors);
    }

    /** Well-formed, but breaks a rule. */
    static Problem invalid(String detail, List<Violation> errors) {
        return of(422, "invalid", "Unprocessable content", detail).withErrors(errors);
    }

    /** The caller is known but may not do this (a scope it lacks, a branch it may not write). */
    static Problem forbidden(String detail) {
        return of(403, "forbidden", "Forbidden", detail);
    }

    /**
     * The caller used an idempotency key before for another request: 422 naming the first ({@code first} is the
     * member holding it: {@code refinement} or {@code run}).
     */
    static Problem idempotencyKeyReused(String key, String firstName, String member, JsonNode first) {
        return of(422, "idempotency-key-reused", "Idempotency key reused", "idempotency key \"" + key
                + "\" was used before by this author for another request: " + firstName
                + "; retry with the same body to get its answer, or use a new key. Nothing was written")
                .withErrors(List.of(new Violation("/idempotencyKey", "was used before for another request: "
                        + firstName)))
                .with(member, first);
    }

    static Problem notFound(String detail) {
        return of(404, "not-found", "Not found", detail);
    }

    static Problem conflict(String slug, String detail) {
        return of(409, slug, "Conflict", detail);
    }

    Problem withErrors(List<Violation> more) {
        return new Problem(status, slug(), title, getMessage(), more, members, headers);
    }

    /** An extension member of the problem document, such as {@code currentHead}. */
    Problem with(String member, JsonNode value) {
        Map<String, JsonNode> m = new LinkedHashMap<>(members);
        m.put(member, value);
        return new Problem(status, slug(), title, getMessage(), errors, m, headers);
    }

    Problem withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Problem(status, slug(), title, getMessage(), errors, members, h);
    }

    int status() { return status; }
    String type() { return type; }
    String title() { return title; }
    String detail() { return getMessage(); }
    List<Violation> errors() { return errors; }
    Map<String, JsonNode> members() { return members; }
    Map<String, String> headers() { return headers; }

    private String slug() {
        return type.substring(TYPE_PREFIX.length());
    }
}
