package dev.refinery.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Text that every ledger stores exactly as given. Two things are refused wherever a caller's text is kept
 * (a vibe's JSON, its member names, a message, a key):
 * <ul>
 * <li>the NUL character (U+0000), which PostgreSQL's text and JSONB cannot hold;</li>
 * <li>a lone UTF-16 surrogate (a high one without a low one after it, or a low one alone), which is no
 * character at all: it has no UTF-8 form, so PostgreSQL would be handed {@code ?} in its place while
 * memory kept it.</li>
 * </ul>
 * A surrogate pair is one character (an emoji, say) and is fine.
 */
public final class StorableText {
    private StorableText() {}

    /** Why {@code text} cannot be stored as given, or empty when it can. */
    public static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') return Optional.of("the NUL character (U+0000) at character " + i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of(lone(c, i));
            }
            if (Character.isLowSurrogate(c)) return Optional.of(lone(c, i));
        }
        return Optional.empty();
    }

    private static String lone(char c, int at) {
        return String.format("a lone UTF-16 surrogate (\\u%04x) at character %d", (int) c, at);
    }

    /**
     * @throws IllegalArgumentException naming {@code what} and the reason, when {@code text} cannot be stored
     */
    public static void require(String what, String text) {
        problem(text).ifPresent(p -> {
            throw new IllegalArgumentException(what + " may not contain " + p);
        });
    }

    /** Adds a violation for every string and member name in {@code root} that cannot be stored, at its pointer. */
    public static void find(JsonNode root, String pointer, List<Violation> violations) {
        record At(JsonNode node, String pointer) {}
        Deque<At> todo = new ArrayDeque<>();
        todo.push(new At(root, pointer));
        while (!todo.isEmpty()) {
            At at = todo.pop();
            JsonNode node = at.node();
            if (node.isTextual()) {
                problem(node.textValue()).ifPresent(p -> violations.add(new Violation(at.pointer(),
                        "strings may not contain " + p)));
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    String child = at.pointer() + "/" + Violation.escape(field.getKey());
                    problem(field.getKey()).ifPresent(p -> violations.add(new Violation(child,
                            "names may not contain " + p)));
                    todo.push(new At(field.getValue(), child));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) todo.push(new At(node.get(i), at.pointer() + "/" + i));
            }
        }
    }
}
