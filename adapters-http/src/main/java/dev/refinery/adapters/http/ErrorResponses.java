package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.port.LedgerTimeoutException;
import dev.refinery.application.port.LedgerUnavailableException;
import dev.refinery.domain.MalformedTextException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Every error answers as an RFC 9457 problem document: problems thrown by handlers, parse errors,
 * Helidon's own (no route, a request line it cannot read), an unavailable ledger (503), and anything
 * unexpected (500, logged with an incident id, the response holding neither stack trace nor cause).
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    static final int RETRY_AFTER_SECONDS = 5;

    private final Json json;
    private final long maxBodyBytes;

    ErrorResponses(Json json, long maxBodyBytes) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The catch-all error handlers of the routing. */
    void register(HttpRouting.Builder routing) {
        routing.error(Problem.class, (req, res, p) -> send(res, p))
                .error(MalformedTextException.class, (req, res, e) -> send(res, Problem.badRequest(e.getMessage())))
                .error(LedgerUnavailableException.class, this::unavailable)
                .error(HttpException.class, this::helidon)
                .error(Throwable.class, this::unexpected);
    }

    void send(ServerResponse res, Problem p) {
        p.headers().forEach(res::header);
        json.send(res, p.status(), Json.PROBLEM_JSON, body(p));
    }

    private ObjectNode body(Problem p) {
        ObjectNode o = json.object();
        o.put("type", p.type());
        o.put("title", p.title());
        o.put("status", p.status());
        o.put("detail", p.detail());
        if (!p.errors().isEmpty()) o.set("errors", GraphJson.violations(p.errors()));
        p.members().forEach(o::set);
        return o;
    }

    private void unavailable(ServerRequest req, ServerResponse res, LedgerUnavailableException e) {
        LOG.warn("{} {}: the ledger is unavailable: {}", req.prologue().method().text(), req.path().absolute().path(),
                e.getMessage(), e);
        send(res, Problem.of(503, "unavailable", "Service unavailable", e instanceof LedgerTimeoutException
                        ? "the ledger stopped the request at a time bound (a statement, a lock wait or an idle"
                                + " transaction took too long) and rolled it back; try again shortly"
                        : "the ledger cannot be reached right now; try again shortly")
                .withHeader(HeaderNames.RETRY_AFTER.defaultCase(), Integer.toString(RETRY_AFTER_SECONDS)));
    }

    /** Helidon's exceptions: no route matched (404), or a status it chose. */
    private void helidon(ServerRequest req, ServerResponse res, HttpException e) {
        int status = e.status().code();
        if (status == 404) {
            send(res, Problem.of(404, "no-route", "Not found", "nothing is served at " + req.path().absolute().path()));
        } else if (status >= 500) {
            unexpected(req, res, e);
        } else {
            send(res, Problem.of(status, "http-" + status, e.status().reasonPhrase(), e.getMessage()));
        }
    }

    private void unexpected(ServerRequest req, ServerResponse res, Throwable e) {
        String incident = UUID.randomUUID().toString();
        LOG.error("incident {}: {} {} failed", incident, req.prologue().method().text(), req.path().absolute().path(), e);
        send(res, Problem.of(500, "internal-error", "Internal server error",
                        "something went wrong on our side; it was logged as incident " + incident)
                .with("incident", VibeJson.text(incident)));
    }

    /**
     * Problem documents for what Helidon answers itself (a request line or header it cannot read, a body
     * over the listener's limit). 5xx details are never shown: they may hold internals.
     */
    DirectHandlers directHandlers() {
        DirectHandler handler = (request, eventType, status, headers, message) -> {
            String detail = status.code() == 413 ? "the body is larger than " + maxBodyBytes + " bytes"
                    : status.code() >= 500 || message == null || message.isBlank() ? status.reasonPhrase()
                    : message;
            Problem p = Problem.of(status.code(), "http-" + status.code(), status.reasonPhrase(), detail);
            headers.set(HeaderNames.CONTENT_TYPE, Json.PROBLEM_JSON);
            // e.g. more requests at once than refinery.http.max-concurrent-requests: worth a retry soon
            if (status.code() == 503) headers.set(HeaderNames.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .entity(json.bytes(body(p)))
                    .build();
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) builder.addHandler(type, handler);
        return builder.build();
    }

    /** Answers 405 on a path whose other methods are routed, naming them in {@code Allow}. */
    static Handler allow(String methods) {
        return (req, res) -> {
            throw Problem.of(405, "method-not-allowed", "Method not allowed",
                            req.prologue().method().text() + " is not served here; use " + methods)
                    .withHeader(HeaderNames.ALLOW.defaultCase(), methods);
        };
    }
}
