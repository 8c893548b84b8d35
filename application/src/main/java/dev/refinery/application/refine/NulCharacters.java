package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.Violation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The NUL character (U+0000) is refused anywhere in a vibe's JSON: PostgreSQL's JSONB cannot
 * store it, and every ledger must accept exactly the same documents.
 */
final class NulCharacters {
    private NulCharacters() {}

    static void find(JsonNode root, String pointer, List<Violation> violations) {
        record At(JsonNode node, String pointer) {}
        Deque<At> todo = new ArrayDeque<>();
        todo.push(new At(root, pointer));
        while (!todo.isEmpty()) {
            At at = todo.pop();
            if (at.node().isTextual() && at.node().textValue().indexOf('\u0000') >= 0) {
                violations.add(new Violation(at.pointer(), "strings may not contain the NUL character (U+0000)"));
            } else if (at.node().isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = at.node().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String child = at.pointer() + "/" + Violation.escape(field.getKey());
                    if (field.getKey().indexOf('\u0000') >= 0) {
                        violations.add(new Violation(child, "names may not contain the NUL character (U+0000)"));
                    }
                    todo.push(new At(field.getValue(), child));
                }
            } else if (at.node().isArray()) {
                for (int i = 0; i < at.node().size(); i++) todo.push(new At(at.node().get(i), at.pointer() + "/" + i));
            }
        }
    }
}
