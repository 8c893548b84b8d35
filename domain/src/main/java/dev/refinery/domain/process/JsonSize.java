package dev.refinery.domain.process;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * How many bytes a JSON value takes as compact UTF-8 JSON (as {@code node.toString()} writes it), counted without
 * writing it, and only as far as a limit: measuring a value larger than the limit costs about the limit, not the
 * value.
 */
public final class JsonSize {
    private JsonSize() {}

    /** Whether {@code node} takes more than {@code limit} bytes. */
    public static boolean exceeds(JsonNode node, long limit) {
        return bytes(node, limit) > limit;
    }

    /** The size of {@code node} if it is at most {@code limit}; else some number larger than {@code limit}. */
    public static long bytes(JsonNode node, long limit) {
        return new Counter(limit).count(node);
    }

    private static final class Counter {
        private final long limit;
        private long total;

        Counter(long limit) {
            this.limit = limit;
        }

        long count(JsonNode node) {
            add(node);
            return total;
        }

        /** Adds the size of {@code node}; stops as soon as the total passes the limit. */
        private void add(JsonNode node) {
            if (total > limit) return;
            switch (node.getNodeType()) {
                case OBJECT -> {
                    total += 2;
                    boolean first = true;
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext() && total <= limit; ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (!first) total++;
                        first = false;
                        total += string(e.getKey()) + 1;
                        add(e.getValue());
                    }
                }
                case ARRAY -> {
                    total += 2;
                    for (int i = 0; i < node.size() && total <= limit; i++) {
                        if (i > 0) total++;
                        add(node.get(i));
                    }
                }
                case STRING -> total += string(node.textValue());
                case BINARY, POJO -> total += node.toString().length();
                default -> total += node.asText().length(); // numbers, booleans, null: ASCII
            }
        }

        /** A string as JSON writes it: quoted, with escapes, in UTF-8. */
        private static long string(String s) {
            long n = 2;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') n += 2;
                else if (c < 0x20) n += 6;
                else if (c < 0x80) n += 1;
                else if (c < 0x800) n += 2;
                else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else n += 3;
            }
            return n;
        }
    }
}
