package dev.refinery.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorableTextTest {

    @Test
    void plainTextAndSurrogatePairsAreStorable() {
        assertEquals(Optional.empty(), StorableText.problem(""));
        assertEquals(Optional.empty(), StorableText.problem("plain \u00e9 \u2028"));
        assertEquals(Optional.empty(), StorableText.problem("\ud83d\ude00 and \ud83d\ude00"));
    }

    @Test
    void nulAndLoneSurrogatesAreNot() {
        assertEquals(Optional.of("the NUL character (U+0000) at character 1"), StorableText.problem("a\u0000"));
        assertEquals(Optional.of("a lone UTF-16 surrogate (\\ud800) at character 1"), StorableText.problem("a\ud800b"));
        assertEquals(Optional.of("a lone UTF-16 surrogate (\\ud83d) at character 0"), StorableText.problem("\ud83d"));
        assertEquals(Optional.of("a lone UTF-16 surrogate (\\ude00) at character 0"), StorableText.problem("\ude00\ud83d"));
        assertEquals(Optional.of("a lone UTF-16 surrogate (\\ud83d) at character 0"), StorableText.problem("\ud83d\ud83d\ude00"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorableText.require("message", "x\udc00"));
        assertTrue(e.getMessage().startsWith("message may not contain a lone UTF-16 surrogate"), e.getMessage());
    }

    @Test
    void everyStringAndNameOfADocumentIsCheckedAtItsPointer() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("ok", "\ud83d\ude00");
        doc.putArray("list").add("fine").add("\ud800");
        doc.putObject("x\udc00").put("deeper", "a\u0000");
        doc.put("n", 1);

        List<Violation> found = new ArrayList<>();
        StorableText.find(doc, "/solution", found);

        assertEquals(List.of("/solution/list/1", "/solution/x\udc00", "/solution/x\udc00/deeper"),
                found.stream().map(Violation::pointer).sorted().toList());
    }
}
