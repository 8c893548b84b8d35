package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.refinery.domain.schema.SchemaTree.ID;
import static dev.refinery.domain.schema.SchemaTree.REF;
import static dev.refinery.domain.schema.SchemaTree.REF_ORIGINAL;
import static dev.refinery.domain.schema.SchemaTree.SCHEMA;

/**
 * The exact size, in bytes of compact UTF-8 JSON, of the document {@link Inliner} would build, found without
 * building it, in time linear in the closure (the document itself can be exponential in it).
 *
 * <p>What a referenced schema adds where it is inlined depends on where that is only through the local refs it
 * holds, which the inliner rewrites to {@code "#" + placement + …}: so the size of each schema's merged members is
 * {@code a + k * |placement|} ({@link Affine}), computed once per schema, dependencies first, and reused at every
 * place that references it. Sums saturate at {@link Long#MAX_VALUE}.
 */
final class InlinedSize {
    /** Bytes {@code a + k * p}, where {@code p} is the byte length of the placement the node is inlined at. */
    record Affine(long a, long k) {
        static final Affine ZERO = new Affine(0, 0);

        Affine plus(Affine o) {
            return new Affine(add(a, o.a), add(k, o.k));
        }

        Affine plus(long bytes) {
            return new Affine(add(a, bytes), k);
        }

        /** This affine in a placement {@code shift} bytes longer, expressed in the shorter one. */
        Affine shifted(long shift) {
            return new Affine(add(a, multiply(k, shift)), k);
        }
    }

    private final SchemaClosure closure;
    /** For each dependency: its merged members (as {@link Inliner#members} merges a chain) by key. */
    private final Map<VibeRef, Map<String, Affine>> members = new HashMap<>();

    private InlinedSize(SchemaClosure closure) {
        this.closure = closure;
    }

    /**
     * @throws SchemaResolutionException when the references make a cycle (no closure read from the ledger has one)
     */
    static long of(SchemaClosure closure) {
        InlinedSize size = new InlinedSize(closure);
        for (VibeRef ref : size.dependenciesFirst()) {
            if (!ref.equals(closure.root())) size.members.put(ref, size.chainMembers(ref));
        }
        // the root sits at "" and is its own placement: its length is 0
        return size.node(closure.rootSchema(), 0).a();
    }

    /** Every schema of the closure, each after all it references (post-order, without recursion). */
    private List<VibeRef> dependenciesFirst() {
        List<VibeRef> order = new ArrayList<>();
        Set<VibeRef> done = new HashSet<>();
        Set<VibeRef> onPath = new HashSet<>();
        Map<VibeRef, Deque<VibeRef>> pendingOf = new HashMap<>();
        Deque<VibeRef> path = new ArrayDeque<>();
        path.push(closure.root());
        onPath.add(closure.root());
        while (!path.isEmpty()) {
            VibeRef ref = path.peek();
            Deque<VibeRef> pending = pendingOf.computeIfAbsent(ref, r -> new ArrayDeque<>(references(r)));
            VibeRef next = null;
            while (!pending.isEmpty() && next == null) {
                VibeRef candidate = pending.pop();
                if (done.contains(candidate)) continue;
                if (onPath.contains(candidate)) {
                    throw new SchemaResolutionException("schema references make a cycle through " + candidate
                            + ": the inlined view would be endless");
                }
                next = candidate;
            }
            if (next != null) {
                path.push(next);
                onPath.add(next);
                continue;
            }
            path.pop();
            onPath.remove(ref);
            pendingOf.remove(ref);
            done.add(ref);
            order.add(ref);
        }
        return order;
    }

    private List<VibeRef> references(VibeRef ref) {
        List<VibeRef> refs = new ArrayList<>();
        SchemaTree.forEachObject(closure.schemas().get(ref), (pointer, object, augReference) -> {
            if (augReference) refs.add(SchemaTree.resolvedRef(object, pointer));
        });
        return refs;
    }

    /**
     * The members a reference to {@code ref} contributes, merged as the inliner merges a chain of references: the
     * deeper schema's first, the nearer one's winning; in terms of the placement (the reference's own pointer).
     */
    private Map<String, Affine> chainMembers(VibeRef ref) {
        JsonNode schema = closure.schemas().get(ref);
        Map<String, Affine> merged = new LinkedHashMap<>();
        if (schema instanceof ObjectNode object) {
            boolean augReference = SchemaTree.isAugReference(object);
            if (augReference) merged.putAll(members.get(SchemaTree.resolvedRef(object, "")));
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                String key = member.getKey();
                if (augReference && (key.equals(REF) || key.equals(REF_ORIGINAL))) continue;
                if (key.equals(SCHEMA) || key.equals(ID)) continue;
                merged.put(key, member(key, member.getValue(), 0));
            }
        } else if (schema.isBoolean() && !schema.booleanValue()) {
            merged.put("not", new Affine(2, 0)); // {"not": {}}
        } else if (!schema.isBoolean()) {
            throw new SchemaResolutionException("cannot inline " + ref + ": its schema is " + schema.getNodeType()
                    + ", neither an object nor a boolean");
        }
        return merged;
    }

    /** A member's value, which sits {@code at} bytes of pointer below the placement; without its key. */
    private Affine member(String key, JsonNode value, long at) {
        long below = add(at, pointerBytes(key));
        Affine size = node(value, below);
        // a local ref is rewritten to "#" + placement + the rest: longer by the placement's length
        if (key.equals(REF) && value.isTextual() && SchemaTree.isLocalPointer(value.textValue())) {
            size = size.plus(new Affine(0, 1));
        }
        return size;
    }

    /** A node {@code at} bytes of pointer below the placement, in terms of the placement's length. */
    private Affine node(JsonNode node, long at) {
        if (node instanceof ObjectNode object) {
            Map<String, Affine> merged = new LinkedHashMap<>();
            boolean augReference = SchemaTree.isAugReference(object);
            if (augReference) {
                // the referenced members are placed at this object's own pointer: placement + at
                members.get(SchemaTree.resolvedRef(object, "")).forEach((k, v) -> merged.put(k, v.shifted(at)));
            }
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                String key = member.getKey();
                if (augReference && (key.equals(REF) || key.equals(REF_ORIGINAL))) continue;
                merged.put(key, member(key, member.getValue(), at));
            }
            Affine size = new Affine(2 + Math.max(0, merged.size() - 1), 0);
            for (Map.Entry<String, Affine> m : merged.entrySet()) {
                size = size.plus(m.getValue()).plus(add(stringBytes(m.getKey()), 1));
            }
            return size;
        }
        if (node.isArray()) {
            Affine size = new Affine(2 + Math.max(0, node.size() - 1), 0);
            for (int i = 0; i < node.size(); i++) {
                size = size.plus(node(node.get(i), add(at, 1 + Integer.toString(i).length())));
            }
            return size;
        }
        if (node.isTextual()) return new Affine(stringBytes(node.textValue()), 0);
        return new Affine(node.toString().length(), 0); // numbers, booleans and null are ASCII
    }

    /** The bytes of {@code "/" + escaped(key)} inside a JSON string. */
    private static long pointerBytes(String key) {
        return 1 + escapedBytes(Violation.escape(key));
    }

    /** A JSON string's bytes, quotes included. */
    static long stringBytes(String text) {
        return 2 + escapedBytes(text);
    }

    /**
     * The UTF-8 bytes of {@code text} with JSON's escapes, as Jackson writes it by default (which escapes control
     * characters and each UTF-16 surrogate, and writes every other character as it is).
     */
    static long escapedBytes(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') bytes += 2;
            else if (c < 0x20) bytes += (c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') ? 2 : 6;
            else if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isSurrogate(c)) bytes += 6; // Jackson escapes each half of a pair: \uD83D\uDE00
            else bytes += 3;
        }
        return bytes;
    }

    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long multiply(long a, long b) {
        if (a == 0 || b == 0) return 0;
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
