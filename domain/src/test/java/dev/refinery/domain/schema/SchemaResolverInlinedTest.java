package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.refinery.domain.schema.TestSchemas.json;
import static dev.refinery.domain.schema.TestSchemas.size;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaResolverInlinedTest {
    private final SchemaResolver resolver = new SchemaResolver();

    @Test
    void aChainIsInlinedKeepingRefResolved() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@c?1", json("{'type':'string'}"))
                .write("main@b?1", json("{'$schema':'https://json-schema.org/draft/2020-12/schema','$id':'https://example.com/b','items':{'$ref':'aug:/c'}}"))
                .write("main@a?1", json("{'$schema':'https://json-schema.org/draft/2020-12/schema','$id':'https://example.com/a','properties':{'b':{'$ref':'aug:/b'}}}"));

        // when
        JsonNode inlined = resolver.inlined(ledger.closure("main@a?1"));

        // then
        assertEquals(json("""
                {'$schema':'https://json-schema.org/draft/2020-12/schema','$id':'https://example.com/a',
                 'properties':{'b':{'items':{'type':'string','$refResolved':'main@c?1'},'$refResolved':'main@b?1'}}}"""),
                inlined);
    }

    @Test
    void aDiamondIsInlinedOnEveryPath() {
        // given: a → b, a → c, b → d, c → d
        TestLedger ledger = new TestLedger()
                .write("main@d?1", json("{'type':'string'}"))
                .write("main@b?1", json("{'items':{'$ref':'aug:/d'}}"))
                .write("main@c?1", json("{'properties':{'x':{'$ref':'aug:/d'}}}"))
                .write("main@a?1", json("{'allOf':[{'$ref':'aug:/b'},{'$ref':'aug:/c'}]}"));

        // when
        JsonNode inlined = resolver.inlined(ledger.closure("main@a?1"));

        // then
        assertEquals(json("""
                {'allOf':[
                   {'items':{'type':'string','$refResolved':'main@d?1'},'$refResolved':'main@b?1'},
                   {'properties':{'x':{'type':'string','$refResolved':'main@d?1'}},'$refResolved':'main@c?1'}]}"""),
                inlined);
    }

    @Test
    void siblingKeywordsOfAReferenceWin() {
        // given: references whose targets are references again
        TestLedger ledger = new TestLedger()
                .write("main@c?1", json("{'type':'string','title':'c','description':'c','minLength':1}"))
                .write("main@b?1", json("{'$ref':'aug:/c','title':'b','description':'b'}"))
                .write("main@a?1", json("{'$refOriginal':'aug:/b?1','$ref':'aug:/b','title':'a'}"));

        // when
        JsonNode inlined = resolver.inlined(ledger.closure("main@a?1"));

        // then
        assertEquals(json("{'type':'string','title':'a','description':'b','minLength':1,'$refResolved':'main@b?1'}"), inlined);
    }

    @Test
    void localRefsPointToWhereTheirSchemaIsPlaced() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@c?1", json("{'$defs':{'m':{'type':'string'}},'not':{'$ref':'#/$defs/m'}}"))
                .write("main@b?1", json("""
                        {'$defs':{'n':{'type':'integer'}},
                         'properties':{'n':{'$ref':'#/$defs/n'},'self':{'$ref':'#'},'web':{'$ref':'https://example.com/s'},
                                       'c':{'$ref':'aug:/c','items':{'$ref':'#/$defs/n'}}}}"""))
                .write("main@a?1", json("{'$defs':{'x':{}},'not':{'$ref':'#/$defs/x'},'properties':{'a/b~c':{'items':{'$ref':'aug:/b'}}}}"));

        // when
        JsonNode inlined = resolver.inlined(ledger.closure("main@a?1"));

        // then
        String b = "#/properties/a~1b~0c/items";
        assertEquals("#/$defs/x", inlined.at("/not/$ref").textValue());
        JsonNode placed = inlined.at("/properties/a~1b~0c/items");
        assertEquals(b + "/$defs/n", placed.at("/properties/n/$ref").textValue());
        assertEquals(b, placed.at("/properties/self/$ref").textValue());
        assertEquals("https://example.com/s", placed.at("/properties/web/$ref").textValue());
        assertEquals(b + "/properties/c/$defs/m", placed.at("/properties/c/not/$ref").textValue());
        assertEquals(b + "/$defs/n", placed.at("/properties/c/items/$ref").textValue());
        assertEquals(json("{'type':'integer'}"), inlined.at(placed.at("/properties/n/$ref").textValue().substring(1)));
    }

    @Test
    void booleanSchemasInlineAsTheObjectsTheyMean() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@t?1", json("true"))
                .write("main@f?1", json("false"))
                .write("main@a?1", json("{'properties':{'t':{'$ref':'aug:/t','description':'anything'},'f':{'$ref':'aug:/f'}}}"));

        // when
        JsonNode inlined = resolver.inlined(ledger.closure("main@a?1"));

        // then
        assertEquals(json("""
                {'properties':{'t':{'description':'anything','$refResolved':'main@t?1'},
                               'f':{'not':{},'$refResolved':'main@f?1'}}}"""), inlined);
        assertEquals(json("false"), resolver.inlined(ledger.closure("main@f?1")));
    }

    @Test
    void aDeepDiamondFailsFastAtTheNodeCap() {
        // given: 2^30 copies of the bottom schema if it were inlined
        SchemaClosure closure = DeepDiamond.write(new TestLedger(), 30).closure(DeepDiamond.top(30));
        SchemaResolver noByteCap = new SchemaResolver(new SchemaResolver.Limits(100_000, 64, Long.MAX_VALUE));

        // when
        var e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SchemaTooLargeException.class, () -> noByteCap.inlined(closure)));

        // then
        assertTrue(e.getMessage().contains("100000") && e.getMessage().contains("maxInlinedNodes"), e.getMessage());
    }

    @Test
    void aDeepDiamondFailsFastAtTheDepthCap() {
        // given
        SchemaClosure closure = DeepDiamond.write(new TestLedger(), 30).closure(DeepDiamond.top(30));
        SchemaResolver shallow = new SchemaResolver(new SchemaResolver.Limits(Integer.MAX_VALUE, 20, Long.MAX_VALUE));

        // when
        var e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SchemaTooLargeException.class, () -> shallow.inlined(closure)));

        // then
        assertTrue(e.getMessage().contains("20") && e.getMessage().contains("maxInlineDepth"), e.getMessage());
    }

    @Test
    void referencesMayNestUpToTheDepthCap() {
        // given: a chain of 65 references
        TestLedger ledger = new TestLedger().write("main@chain/0?1", json("{'type':'string'}"));
        for (int i = 1; i <= 65; i++) {
            ledger.write("main@chain/" + i + "?1", json("{'items':{'$ref':'aug:/chain/" + (i - 1) + "'}}"));
        }

        // then
        assertDoesNotThrow(() -> resolver.inlined(ledger.closure("main@chain/64?1")));
        var e = assertThrows(SchemaTooLargeException.class, () -> resolver.inlined(ledger.closure("main@chain/65?1")));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
    }

    @Test
    void theNodeCapCountsEveryNodeOfTheResult() {
        // given
        SchemaClosure closure = DeepDiamond.write(new TestLedger(), 4).closure(DeepDiamond.top(4));
        int size = size(resolver.inlined(closure));

        // then
        assertDoesNotThrow(() -> new SchemaResolver(new SchemaResolver.Limits(size, 64)).inlined(closure));
        assertThrows(SchemaTooLargeException.class, () -> new SchemaResolver(new SchemaResolver.Limits(size - 1, 64)).inlined(closure));
    }

    @Test
    void inliningChangesNothingItWasGivenAndGivesAFreshDocument() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@b?1", json("{'$schema':'https://json-schema.org/draft/2020-12/schema','$defs':{'n':{}},'not':{'$ref':'#/$defs/n'}}"))
                .write("main@a?1", json("{'items':{'$refOriginal':'aug:/b?1','title':'a'}}"));
        SchemaClosure closure = ledger.closure("main@a?1");
        SchemaClosure before = new SchemaClosure(closure.root(), closure.schemas());

        // when
        JsonNode first = resolver.inlined(closure);
        ((ObjectNode) first.at("/items/$defs")).put("added", true);

        // then
        assertEquals(before, closure);
        assertEquals(json("{'items':{'$defs':{'n':{}},'not':{'$ref':'#/items/$defs/n'},'title':'a','$refResolved':'main@b?1'}}"),
                resolver.inlined(closure));
    }
}
