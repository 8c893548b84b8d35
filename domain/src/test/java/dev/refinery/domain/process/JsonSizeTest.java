package dev.refinery.domain.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.refinery.domain.process.ProcessJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSizeTest {

    @Test
    void countsTheBytesOfCompactJson() {
        for (String text : List.of("{}", "[]", "null", "{'a': [1, 2.5, true, null, 'x'], 'b': {'c': {}}}", "[[[{'k': {}}]]]", "-12")) {
            JsonNode node = json(text);
            assertEquals(node.toString().getBytes(StandardCharsets.UTF_8).length, JsonSize.bytes(node, Long.MAX_VALUE), text);
        }
        JsonNode escaped = JsonNodeFactory.instance.objectNode().put("é\"", "x\"y\\z\n\u0001ünï €\ud83d\ude00");
        assertEquals(escaped.toString().getBytes(StandardCharsets.UTF_8).length, JsonSize.bytes(escaped, Long.MAX_VALUE));
    }

    @Test
    void stopsPastTheLimit() {
        JsonNode node = json("['" + "a".repeat(100) + "']");

        assertFalse(JsonSize.exceeds(node, 104));
        assertTrue(JsonSize.exceeds(node, 103));
    }
}
