package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** The shape of aug references inside a schema tree, as docs/schema-resolution.md defines it. */
final class SchemaTree {
    static final String REF = "$ref";
    static final String REF_ORIGINAL = "$refOriginal";
    static final String REF_RESOLVED = "$refResolved";
    static final String SCHEMA = "$schema";
    static final String ID = "$id";
    static final String DEFS = "$defs";

    private SchemaTree() {}

    /** An object holding {@code $refResolved}, or an {@code aug:} string in {@code $refOriginal} or {@code $ref}. */
    static boolean isAugReference(JsonNode node) {
        return node instanceof ObjectNode object
                && (object.has(REF_RESOLVED) || hasAugUri(object, REF_ORIGINAL) || hasAugUri(object, REF));
    }

    private static boolean hasAugUri(ObjectNode object, String key) {
        JsonNode value = object.get(key);
        return value != null && value.isTextual() && AugUri.looksLikeAugUri(value.textValue());
    }

    static boolean isReferenceKey(String key) {
        return key.equals(REF) || key.equals(REF_ORIGINAL) || key.equals(REF_RESOLVED);
    }

    /**
     * The target of a local pointer ref ({@code $ref} of {@code #} or {@code #/…}) held by a plain object, or null.
     * Anchor refs ({@code #name}) are not pointers: they resolve by name wherever the schema is placed.
     */
    static String localRef(ObjectNode object) {
        JsonNode value = object.get(REF);
        return value != null && value.isTextual() && isLocalPointer(value.textValue()) ? value.textValue() : null;
    }

    static boolean isLocalPointer(String ref) {
        return ref.equals("#") || ref.startsWith("#/");
    }

    /** The {@code $refResolved} of a reference object in a stamped schema, which is always well-formed. */
    static VibeRef resolvedRef(ObjectNode reference, String pointer) {
        JsonNode value = reference.get(REF_RESOLVED);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("not a stamped schema: the reference at '" + pointer
                    + "' has no " + REF_RESOLVED + " string");
        }
        try {
            return VibeRef.parse(value.textValue());
        } catch (MalformedTextException e) {
            throw new IllegalArgumentException("not a stamped schema: " + child(pointer, REF_RESOLVED) + ": "
                    + e.getMessage(), e);
        }
    }

    static String child(String pointer, String key) {
        return pointer + '/' + Violation.escape(key);
    }

    static String child(String pointer, int index) {
        return pointer + '/' + index;
    }

    interface ObjectVisitor {
        /** Called once per object, parents before children, in document order. */
        void visit(String pointer, ObjectNode object, boolean augReference);
    }

    /**
     * Visits every object of the tree in document order. The members {@code $ref},
     * {@code $refOriginal} and {@code $refResolved} of an aug reference are not descended into; its
     * other members are. A visitor may change the reference keys of the object it is given.
     */
    static void forEachObject(JsonNode root, ObjectVisitor visitor) {
        Deque<Located> pending = new ArrayDeque<>();
        pending.push(new Located("", root));
        while (!pending.isEmpty()) {
            Located next = pending.pop();
            JsonNode node = next.node();
            if (node instanceof ObjectNode object) {
                boolean augReference = isAugReference(object);
                visitor.visit(next.pointer(), object, augReference);
                Deque<Located> children = new ArrayDeque<>();
                for (Map.Entry<String, JsonNode> member : object.properties()) {
                    if (member.getValue().isContainerNode() && !(augReference && isReferenceKey(member.getKey()))) {
                        children.push(new Located(child(next.pointer(), member.getKey()), member.getValue()));
                    }
                }
                children.forEach(pending::push);
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    if (node.get(i).isContainerNode()) pending.push(new Located(child(next.pointer(), i), node.get(i)));
                }
            }
        }
    }

    private record Located(String pointer, JsonNode node) {}
}
