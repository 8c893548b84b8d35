package dev.refinery.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentDepthTest {

    private static ArrayNode nested(int levels) {
        ArrayNode root = JsonNodeFactory.instance.arrayNode();
        ArrayNode inner = root;
        for (int i = 1; i < levels; i++) inner = inner.addArray();
        return root;
    }

    @Test
    void depthCountsNestedArraysAndObjects() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putObject("a").putArray("b").add(1);

        assertFalse(DocumentDepth.exceeds(JsonNodeFactory.instance.textNode("x"), 0));
        assertFalse(DocumentDepth.exceeds(o, 3));
        assertTrue(DocumentDepth.exceeds(o, 2));
        assertFalse(DocumentDepth.exceeds(nested(DocumentDepth.MAX), DocumentDepth.MAX));
        assertTrue(DocumentDepth.exceeds(nested(DocumentDepth.MAX + 1), DocumentDepth.MAX));
    }

    @Test
    void aDocumentPastTheLimitIsAViolationAtItsPointer() {
        assertEquals(Optional.empty(), DocumentDepth.check(nested(DocumentDepth.MAX), "/solution"));
        assertEquals("/solution", DocumentDepth.check(nested(5_000), "/solution").orElseThrow().pointer());
    }
}
