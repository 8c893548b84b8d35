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
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
     * it whole, a media type other than JSON (415), and an empty or malformed body (400).
     */
    JsonNode readBody(ServerRequest req) {
        Optional<HttpMediaType> type = req.headers().contentType();
        if (type.isPresent() && !isJson(type.get())) {
            throw Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "the body must be application/json, not " + type.get().mediaType().text());
        }
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) throw tooLarge();
        if (!req.content().hasEntity()) throw Problem.badRequest("this request needs a JSON body");
        byte[] body;
        try {
            InputStream in = req.content().inputStream();
            body = in.readNBytes((int) maxBodyBytes + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length > maxBodyBytes) throw tooLarge();
        return parse(body);
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
        try {
            return mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw Problem.badRequest("the body nests arrays and objects deeper than " + maxDepth + " levels");
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("the body is not well-formed JSON: " + describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    byte[] bytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
