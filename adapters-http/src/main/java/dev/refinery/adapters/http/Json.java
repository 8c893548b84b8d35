package dev.refinery.adapters.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.StorableText;
import dev.refinery.domain.Violation;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * JSON in and out with our own Jackson mapper: request bodies are read under a size limit before they are
 * parsed, and parsed under a nesting limit, with duplicate keys and trailing content refused.
 */
final class Json {
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    /** How Jackson names a location inside its messages, without the (redacted) source. */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]");

    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final int maxDepth;

    Json(HttpSettings settings) {
        this.maxBodyBytes = settings.maxBodyBytes();
        this.maxDepth = settings.maxJsonDepth();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(settings.maxJsonDepth())
                        .maxDocumentLength(settings.maxBodyBytes())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    ArrayNode array() {
        return mapper.createArrayNode();
    }

    /**
     * The request's body as JSON. Refuses a declared or actual length over the limit (413) before reading
     * it whole, a body with a media type other than JSON or with none (415), an empty or malformed body (400), and
     * text no ledger stores as given (422, see {@link StorableText}).
     */
    JsonNode readBody(ServerRequest req) {
        Optional<HttpMediaType> type;
        try {
            type = req.headers().contentType();
        } catch (IllegalArgumentException e) {
            // Helidon parses the header on demand and throws on a value that is no media type
            throw Problem.badRequest("the Content-Type header is not a media type");
        }
        if (type.isPresent() && !isJson(type.get())) {
            throw unsupported("the body must be application/json, not " + type.get().mediaType().text());
        }
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() < 0) {
            // Helidon would wait for chunks that never come: refuse it before reading
            throw unreadable("Content-Length is negative");
        }
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) throw tooLarge();
        if (!req.content().hasEntity()) throw Problem.badRequest("this request needs a JSON body");
        // a web page may send a body of no type without asking first (no CORS preflight): never read one
        if (type.isEmpty()) throw unsupported("the body must be application/json, but the request has no Content-Type");
        byte[] body;
        try {
            InputStream in = req.content().inputStream();
            body = in.readNBytes((int) maxBodyBytes + 1);
        } catch (HttpException | RequestException e) {
            throw e;  // Helidon's own answers, e.g. 413 when chunks pass the listener's limit
        } catch (IOException | RuntimeException e) {
            // a chunk size that is no number, a body cut short: the client's transport, not a server failure
            throw unreadable("the body could not be read (malformed chunked encoding, or cut short)");
        }
        if (body.length > maxBodyBytes) throw tooLarge();
        return parse(body);
    }

    private static Problem unsupported(String detail) {
        return Problem.of(415, "unsupported-media-type", "Unsupported media type", detail);
    }

    /** What is left of such a request cannot be found on the connection: it is closed after the answer. */
    private static Problem unreadable(String detail) {
        return Problem.badRequest(detail)
                .withHeader(HeaderValues.CONNECTION_CLOSE.name(), HeaderValues.CONNECTION_CLOSE.get());
    }

    private static boolean isJson(HttpMediaType type) {
        String subtype = type.mediaType().subtype();
        return type.mediaType().type().equals("application") && (subtype.equals("json") || subtype.endsWith("+json"));
    }

    /** The rest of a too large body is never read, so the connection cannot be reused. */
    private Problem tooLarge() {
        return Problem.of(413, "body-too-large", "Content too large",
                        "the body is larger than " + maxBodyBytes + " bytes")
                .withHeader(HeaderValues.CONNECTION_CLOSE.name(), HeaderValues.CONNECTION_CLOSE.get());
    }

    JsonNode parse(byte[] body) {
        if (body.length == 0) throw Problem.badRequest("this request needs a JSON body");
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw Problem.badRequest("the body nests arrays and objects deeper than " + maxDepth + " levels");
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("the body is not well-formed JSON: " + describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Violation> unstorable = new ArrayList<>();
        StorableText.find(tree, "", unstorable);
        if (!unstorable.isEmpty()) throw Problem.invalid("the body holds text that cannot be stored", unstorable);
        return tree;
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        String what = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        // Jackson's hints name its own API ("... to allow ...") which means nothing to a client.
        int hint = what.indexOf('\n');
        if (hint > 0) what = what.substring(0, hint);
        return SOURCE.matcher(what).replaceAll("line $1, column $2") + where;
    }

    void send(ServerResponse res, int status, JsonNode body) {
        send(res, status, JSON, body);
    }

    void send(ServerResponse res, int status, String contentType, JsonNode body) {
        byte[] bytes = bytes(body);
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.send(bytes);
    }

    /**
     * @throws Problem 422 when the document nests deeper than JSON is written here (an inlined view of a long
     *                 chain of deep schemas can): its depth comes from what was stored, not from a failure
     */
    byte[] bytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (StreamConstraintsException e) {
            throw Problem.of(422, "too-deeply-nested", "Unprocessable content", "the answer would nest arrays and "
                    + "objects deeper than " + mapper.getFactory().streamWriteConstraints().getMaxNestingDepth()
                    + " levels, more than is written here; ask for a shallower view (e.g. a schema's bundled one)");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
