package dev.refinery.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * How deep a vibe's document (context, schema or solution) may nest arrays and objects: {@value #MAX} levels.
 * JSON is read and written with at most 1000 (Jackson's limit, which digests, PostgreSQL's JSONB text and every
 * answer pass through), and an answer holds the document a few levels down, so a deeper one could be kept by one
 * ledger and fail in another, or be written but never read. HTTP bodies are held to far less before this.
 */
public final class DocumentDepth {
    public static final int MAX = 512;

    private DocumentDepth() {}

    /** Whether {@code root} nests arrays and objects more than {@code max} levels deep (a scalar is level 0). */
    public static boolean exceeds(JsonNode root, int max) {
        record At(JsonNode node, int depth) {}
        Deque<At> todo = new ArrayDeque<>();
        todo.push(new At(root, root.isContainerNode() ? 1 : 0));
        while (!todo.isEmpty()) {
            At at = todo.pop();
            if (at.depth() > max) return true;
            for (JsonNode child : at.node()) {
                if (child.isContainerNode()) todo.push(new At(child, at.depth() + 1));
            }
        }
        return false;
    }

    /** A violation at {@code pointer} when {@code document} nests deeper than {@link #MAX}. */
    public static Optional<Violation> check(JsonNode document, String pointer) {
        return exceeds(document, MAX)
                ? Optional.of(new Violation(pointer, "nests arrays and objects deeper than " + MAX + " levels"))
                : Optional.empty();
    }
}
