package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.refinery.domain.schema.TestSchemas.json;
import static dev.refinery.domain.schema.TestSchemas.size;
import static dev.refinery.domain.schema.TestSchemas.vibeRef;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaResolverBundledTest {
    private final SchemaResolver resolver = new SchemaResolver();

    @Test
    void aChainBundlesEveryDependencyUnderRootDefs() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@schemas/c?1", json("{'type':'string'}"))
                .write("main@schemas/b?1", json("{'items':{'$ref':'aug:/schemas/c'}}"))
                .write("main@schemas/a?1", json("{'properties':{'b':{'$ref':'aug:/schemas/b'}}}"));

        // when
        JsonNode bundled = resolver.bundled(ledger.closure("main@schemas/a?1"));

        // then
        assertEquals(json("""
                {'$schema':'https://json-schema.org/draft/2020-12/schema',
                 'properties':{'b':{'$ref':'#/$defs/main@schemas~1b?1','$refResolved':'main@schemas/b?1'}},
                 '$defs':{
                   'main@schemas/b?1':{'items':{'$ref':'#/$defs/main@schemas~1c?1','$refResolved':'main@schemas/c?1'}},
                   'main@schemas/c?1':{'type':'string'}}}"""), bundled);
    }

    @Test
    void aDiamondBundlesEachDependencyOnce() {
        // given: a → b, a → c, b → d, c → d
        TestLedger ledger = new TestLedger()
                .write("main@d?1", json("{'type':'string'}"))
                .write("main@b?1", json("{'items':{'$ref':'aug:/d'}}"))
                .write("main@c?1", json("{'properties':{'x':{'$ref':'aug:/d'}}}"))
                .write("main@a?1", json("{'allOf':[{'$ref':'aug:/b'},{'$ref':'aug:/c'}]}"));

        // when
        JsonNode bundled = resolver.bundled(ledger.closure("main@a?1"));

        // then
        assertEquals(json("""
                {'$schema':'https://json-schema.org/draft/2020-12/schema',
                 'allOf':[{'$ref':'#/$defs/main@b?1','$refResolved':'main@b?1'},{'$ref':'#/$defs/main@c?1','$refResolved':'main@c?1'}],
                 '$defs':{
                   'main@b?1':{'items':{'$ref':'#/$defs/main@d?1','$refResolved':'main@d?1'}},
                   'main@c?1':{'properties':{'x':{'$ref':'#/$defs/main@d?1','$refResolved':'main@d?1'}}},
                   'main@d?1':{'type':'string'}}}"""), bundled);
    }

    @Test
    void aDeepDiamondBundlesInLinearSize() {
        // given: 30 levels, each referencing the one below twice: 2^30 copies when inlined
        TestLedger ledger = DeepDiamond.write(new TestLedger(), 30);

        // when
        JsonNode bundled = resolver.bundled(ledger.closure(DeepDiamond.top(30)));

        // then
        assertEquals(3 * 30, bundled.get("$defs").size());
        assertTrue(size(bundled) < 30 * 30, "size " + size(bundled));
    }

    @Test
    void localRefsOfADependencyPointIntoItsDefsEntry() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@schemas/b?1", json("""
                        {'$defs':{'n':{'type':'string'}},
                         'properties':{'n':{'$ref':'#/$defs/n'},'self':{'$ref':'#'},'web':{'$ref':'https://example.com/s'}}}"""))
                .write("main@a?1", json("{'$defs':{'own':{'type':'integer'}},'properties':{'b':{'$ref':'aug:/schemas/b'},'o':{'$ref':'#/$defs/own'}}}"));

        // when
        JsonNode bundled = resolver.bundled(ledger.closure("main@a?1"));

        // then
        assertEquals(json("""
                {'$schema':'https://json-schema.org/draft/2020-12/schema',
                 '$defs':{
                   'own':{'type':'integer'},
                   'main@schemas/b?1':{
                      '$defs':{'n':{'type':'string'}},
                      'properties':{'n':{'$ref':'#/$defs/main@schemas~1b?1/$defs/n'},
                                    'self':{'$ref':'#/$defs/main@schemas~1b?1'},
                                    'web':{'$ref':'https://example.com/s'}}}},
                 'properties':{'b':{'$ref':'#/$defs/main@schemas~1b?1','$refResolved':'main@schemas/b?1'},
                               'o':{'$ref':'#/$defs/own'}}}"""), bundled);
    }

    @Test
    void dependenciesLoseTheirSchemaAndIdTheRootKeepsThem() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@b?1", json("{'$schema':'https://json-schema.org/draft/2020-12/schema','$id':'https://example.com/b','type':'string','properties':{'$id':{'type':'string'}}}"))
                .write("main@a?1", json("{'$schema':'https://json-schema.org/draft/2019-09/schema','$id':'https://example.com/a','items':{'$ref':'aug:/b'}}"));

        // when
        JsonNode bundled = resolver.bundled(ledger.closure("main@a?1"));

        // then
        assertEquals("https://json-schema.org/draft/2019-09/schema", bundled.get("$schema").textValue());
        assertEquals("https://example.com/a", bundled.get("$id").textValue());
        assertEquals(json("{'type':'string','properties':{'$id':{'type':'string'}}}"), bundled.at("/$defs/main@b?1"));
    }

    @Test
    void referenceObjectsKeepTheirSiblingsAndRefResolvedButLoseRefOriginal() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@b?1", json("{'type':'string'}"))
                .write("main@a?1", json("{'$refOriginal':'aug:/b?1','description':'pinned b'}"));

        // when
        JsonNode bundled = resolver.bundled(ledger.closure("main@a?1"));

        // then
        assertEquals(json("""
                {'$schema':'https://json-schema.org/draft/2020-12/schema',
                 'description':'pinned b','$refResolved':'main@b?1','$ref':'#/$defs/main@b?1',
                 '$defs':{'main@b?1':{'type':'string'}}}"""), bundled);
    }

    @Test
    void withoutDependenciesNoDefsAreAdded() {
        // given
        TestLedger ledger = new TestLedger().write("main@a?1", json("{'type':'string'}"));

        // when
        JsonNode bundled = resolver.bundled(ledger.closure("main@a?1"));

        // then
        assertEquals(json("{'$schema':'https://json-schema.org/draft/2020-12/schema','type':'string'}"), bundled);
        assertFalse(bundled.has("$defs"));
    }

    @Test
    void booleanSchemasBundleAsTheyAre() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@t?1", json("true"))
                .write("main@a?1", json("{'items':{'$ref':'aug:/t'}}"));

        // then
        assertEquals(json("true"), resolver.bundled(ledger.closure("main@t?1")));
        assertEquals(json("true"), resolver.bundled(ledger.closure("main@a?1")).at("/$defs/main@t?1"));
    }

    @Test
    void aRootDefsEntryWithADependencysKeyIsAClash() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@b?1", json("{'type':'string'}"))
                .write("main@a?1", json("{'$defs':{'main@b?1':{'type':'integer'}},'items':{'$ref':'aug:/b'}}"));
        SchemaClosure closure = ledger.closure("main@a?1");

        // when
        var e = assertThrows(SchemaResolutionException.class, () -> resolver.bundled(closure));

        // then
        assertTrue(e.getMessage().contains("main@b?1"), e.getMessage());
    }

    @Test
    void aRootWhoseDefsIsNoObjectCannotHoldDependencies() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@b?1", json("{'type':'string'}"))
                .write("main@a?1", json("{'$defs':[],'items':{'$ref':'aug:/b'}}"));

        // then
        assertThrows(SchemaResolutionException.class, () -> resolver.bundled(ledger.closure("main@a?1")));
    }

    @Test
    void aSchemaNotStoredYetBundlesWithTheClosureOfItsReferences() {
        // given: a new schema stamped against the ledger, and the closure of what it references
        TestLedger ledger = new TestLedger()
                .write("main@c?1", json("{'type':'string'}"))
                .write("main@b?1", json("{'items':{'$ref':'aug:/c'}}"));
        JsonNode incoming = assertInstanceOf(StampResult.Stamped.class,
                SchemaStamper.stamp(json("{'properties':{'b':{'$ref':'aug:/b'}}}"), ledger)).schema();
        Map<VibeRef, JsonNode> dependencies = ledger.closure("main@b?1").schemas();

        // when
        JsonNode bundled = resolver.bundled(incoming, dependencies);

        // then
        assertEquals(json("""
                {'$schema':'https://json-schema.org/draft/2020-12/schema',
                 'properties':{'b':{'$ref':'#/$defs/main@b?1','$refResolved':'main@b?1'}},
                 '$defs':{
                   'main@b?1':{'items':{'$ref':'#/$defs/main@c?1','$refResolved':'main@c?1'}},
                   'main@c?1':{'type':'string'}}}"""), bundled);
    }

    @Test
    void aDependencyMissingFromTheClosureIsRejected() {
        // given
        JsonNode root = json("{'items':{'$ref':'aug:/b','$refResolved':'main@b?1'}}");

        // then
        assertThrows(IllegalArgumentException.class, () -> resolver.bundled(root, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> resolver.bundled(json("{'items':{'$ref':'aug:/b'}}"), Map.of()));
    }

    @Test
    void bundlingChangesNeitherTheClosureNorTheSchemasItWasGiven() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@b?1", json("{'$schema':'https://json-schema.org/draft/2020-12/schema','$defs':{'n':{}},'not':{'$ref':'#/$defs/n'}}"))
                .write("main@a?1", json("{'$refOriginal':'aug:/b?1'}"));
        SchemaClosure closure = ledger.closure("main@a?1");
        SchemaClosure before = new SchemaClosure(closure.root(), closure.schemas());
        JsonNode root = closure.rootSchema().deepCopy();
        Map<VibeRef, JsonNode> dependencies = Map.of(vibeRef("main@b?1"), ledger.schema("main@b?1").deepCopy());

        // when
        JsonNode first = resolver.bundled(closure);
        resolver.bundled(root, dependencies);
        ((ObjectNode) first.get("$defs")).removeAll();

        // then
        assertEquals(before, closure);
        assertEquals(closure.rootSchema(), root);
        assertEquals(Map.of(vibeRef("main@b?1"), ledger.schema("main@b?1")), dependencies);
        assertEquals(1, resolver.bundled(closure).get("$defs").size());
    }

    @Test
    void theStampedViewIsTheRootSchemaAsStored() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@b?1", json("{'type':'string'}"))
                .write("main@a?1", json("{'$schema':'https://json-schema.org/draft/2020-12/schema','items':{'$ref':'aug:/b'}}"));
        SchemaClosure closure = ledger.closure("main@a?1");

        // then
        assertEquals(ledger.schema("main@a?1"), resolver.view(SchemaView.STAMPED, closure));
        assertEquals(resolver.bundled(closure), resolver.view(SchemaView.BUNDLED, closure));
        assertEquals(resolver.inlined(closure), resolver.view(SchemaView.INLINED, closure));
    }

    @Test
    void anAnchorRefInADependencyIsLeftAloneWhilePointerRefsMove() {
        // given
        TestLedger ledger = new TestLedger()
                .write("main@t?1", json("{'anyOf':[{'$ref':'#tag'},{'$ref':'#/$defs/n'}],"
                        + "'$defs':{'tag':{'$anchor':'tag','type':'string'},'n':{'type':'null'}}}"))
                .write("main@a?1", json("{'$ref':'aug:/t'}"));

        // when
        JsonNode bundled = resolver.bundled(ledger.closure("main@a?1"));
        JsonNode inlined = resolver.inlined(ledger.closure("main@a?1"));

        // then
        assertEquals("#tag", bundled.at("/$defs/main@t?1/anyOf/0/$ref").asText());
        assertEquals("#/$defs/main@t?1/$defs/n", bundled.at("/$defs/main@t?1/anyOf/1/$ref").asText());
        assertEquals("#tag", inlined.at("/anyOf/0/$ref").asText());
    }
}
