package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.refinery.domain.schema.TestSchemas.json;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inlined view is bounded by its size as text, not only by its count of nodes: a diamond of a few long strings
 * has few nodes and gigabytes of JSON. The size is computed exactly without building the view.
 */
class InlinedBytesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static long serialized(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node).length;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A diamond whose bottom is one long description: 2^levels copies of it in the inlined view. */
    private static TestLedger stringDiamond(int levels, int descriptionLength) {
        ObjectNode bottom = JSON.createObjectNode().put("description", "x".repeat(descriptionLength));
        TestLedger ledger = new TestLedger().write("main@s/0?1", bottom);
        for (int i = 1; i <= levels; i++) {
            ledger.write("main@s/" + i + "?1", json("{'allOf':[{'$ref':'aug:/s/" + (i - 1) + "'},{'$ref':'aug:/s/" + (i - 1) + "'}]}"));
        }
        return ledger;
    }

    @Test
    void aDiamondOfLongStringsIsRefusedBySizeSayingTheSizeItWouldHave() {
        // given: 4096 copies of a 100 kB string, about 400 MB of JSON in 20 000 nodes (under the node cap)
        SchemaClosure closure = stringDiamond(12, 100_000).closure("main@s/12?1");
        SchemaResolver resolver = new SchemaResolver();
        long expected = SchemaResolver.inlinedBytes(closure);
        assertTrue(expected > 4096L * 100_000, () -> "size " + expected);

        // when
        var e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(SchemaTooLargeException.class, () -> resolver.inlined(closure)));

        // then
        assertTrue(e.getMessage().contains(Long.toString(expected)) && e.getMessage().contains("maxInlinedBytes"),
                e.getMessage());
    }

    @Test
    void theSizeIsExactlyThatOfTheDocumentAndTheCapIsInclusive() {
        SchemaClosure closure = stringDiamond(3, 1_000).closure("main@s/3?1");
        long size = serialized(new SchemaResolver().inlined(closure));
        assertEquals(size, SchemaResolver.inlinedBytes(closure));
        assertDoesNotThrow(() -> new SchemaResolver(new SchemaResolver.Limits(100_000, 64, size)).inlined(closure));
        assertThrows(SchemaTooLargeException.class,
                () -> new SchemaResolver(new SchemaResolver.Limits(100_000, 64, size - 1)).inlined(closure));
    }

    @Test
    void theSizeCountsMergedSiblingsRewrittenLocalRefsEscapesAndBooleans() {
        // local refs inside a dependency are rewritten with the pointer it is inlined at, which has keys to escape
        ObjectNode leaf = (ObjectNode) json("{'$schema':'https://json-schema.org/draft/2020-12/schema','$id':'urn:x',"
                + "'$defs':{'n':{'type':'number','minimum':1.5,'maximum':1e300}},'items':{'$ref':'#/$defs/n'},"
                + "'title':'leaf','enum':[null,true,-3,'é€😀']}");
        leaf.put("description", "tab\t quote\" backslash\\ control\u0001 newline\n");
        ObjectNode middle = (ObjectNode) json("{'$ref':'aug:/leaf','title':'middle wins','default':{'$ref':'#/x'}}");
        ObjectNode top = JSON.createObjectNode();
        ObjectNode properties = top.putObject("properties");
        properties.set("a/b~c \"é\"", json("{'$ref':'aug:/middle','title':'top wins'}"));
        properties.set("plain", json("{'$refOriginal':'aug:/leaf?1'}"));
        properties.set("no", json("{'$ref':'aug:/no'}"));
        properties.set("yes", json("{'$ref':'aug:/yes','description':'kept'}"));
        top.putArray("allOf").add(json("{'$ref':'aug:/middle'}")).add(json("{'items':[{'$ref':'aug:/leaf'}]}"));
        top.put("$ref", "#/properties/plain");
        TestLedger ledger = new TestLedger()
                .write("main@leaf?1", leaf)
                .write("main@no?1", json("false"))
                .write("main@yes?1", json("true"))
                .write("main@middle?1", middle)
                .write("main@top?1", top);

        for (String root : new String[]{"main@top?1", "main@middle?1", "main@leaf?1", "main@no?1"}) {
            SchemaClosure closure = ledger.closure(root);
            assertEquals(serialized(new SchemaResolver().inlined(closure)), SchemaResolver.inlinedBytes(closure), root);
        }
    }

    @Test
    void theSizeOfAHugeDiamondIsFoundInTimeLinearInTheClosure() {
        SchemaClosure closure = DeepDiamond.write(new TestLedger(), 200).closure(DeepDiamond.top(200));
        long size = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SchemaResolver.inlinedBytes(closure));
        assertEquals(Long.MAX_VALUE, size);
        var e = assertThrows(SchemaTooLargeException.class, () -> new SchemaResolver().inlined(closure));
        assertTrue(e.getMessage().contains("more than " + Long.MAX_VALUE), e.getMessage());
    }
}
