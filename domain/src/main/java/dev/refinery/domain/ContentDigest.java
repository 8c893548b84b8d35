package dev.refinery.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The content address of a vibe: SHA-256 of the RFC 8785 canonical JSON of
 * {@code {kind, id, context, schema, solution, prototypeRef}}. Branch, revision, author and time
 * are deliberately not part of it: the same content has the same digest wherever it is written.
 */
public final class ContentDigest {
    private ContentDigest() {}

    public static Digest of(Kind kind, VibeId id, JsonNode context, JsonNode schema, JsonNode solution,
                            Optional<VibeRef> prototypeRef) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("kind", kind.name());
        content.put("id", id.value());
        content.set("context", context);
        content.set("schema", schema);
        content.set("solution", solution);
        content.set("prototypeRef", prototypeRef.<JsonNode>map(r -> JsonNodeFactory.instance.textNode(r.toString()))
                .orElse(JsonNodeFactory.instance.nullNode()));
        return sha256(canonical(content));
    }

    /** SHA-256 of the RFC 8785 canonical form of any JSON document (a request's digest). */
    public static Digest ofJson(JsonNode document) {
        return sha256(canonical(document));
    }

    /** RFC 8785 canonical form of a JSON tree. */
    public static String canonical(JsonNode node) {
        try {
            if (node.isContainerNode()) return new JsonCanonicalizer(node.toString()).getEncodedString();
            // the canonicalizer only takes an object or an array at the top
            String wrapped = new JsonCanonicalizer("[" + node + "]").getEncodedString();
            return wrapped.substring(1, wrapped.length() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot canonicalize JSON", e);
        }
    }

    private static Digest sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return new Digest("sha256:" + HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
