package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.refinery.domain.schema.TestSchemas.json;
import static dev.refinery.domain.schema.TestSchemas.vibeRef;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaStamperTest {
    private final TestLedger ledger = new TestLedger()
            .with("main@schemas/user?1", "main@schemas/user?2", "main@schemas/address?1", "dev/x@schemas/user?7");

    @Test
    void floatingRefIsStampedWithTheHeadRevision() {
        // given
        JsonNode schema = json("{'properties':{'user':{'$ref':'aug:/schemas/user'}}}");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals(json("{'properties':{'user':{'$ref':'aug:/schemas/user','$refResolved':'main@schemas/user?2'}}}"),
                stamped.schema());
        assertEquals(List.of(vibeRef("main@schemas/user?2")), stamped.refs());
    }

    @Test
    void pinnedRefIsStampedWithThatRevision() {
        // given
        JsonNode schema = json("{'$ref':'aug:/schemas/user?1'}");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals(json("{'$ref':'aug:/schemas/user?1','$refResolved':'main@schemas/user?1'}"), stamped.schema());
    }

    @Test
    void refOriginalIsResolvedInsteadOfRef() {
        // given
        JsonNode schema = json("{'$refOriginal':'aug:/schemas/user?1','$ref':'aug:/schemas/user'}");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals("main@schemas/user?1", stamped.schema().get("$refResolved").textValue());
    }

    @Test
    void branchQualifiedUrisResolveOnTheirBranch() {
        // given
        JsonNode schema = json("{'allOf':[{'$ref':'aug:dev/x@schemas/user'},{'$refOriginal':'aug:~main/schemas/user?1'}]}");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals(List.of(vibeRef("dev/x@schemas/user?7"), vibeRef("main@schemas/user?1")), stamped.refs());
    }

    @Test
    void refOriginalWithoutRevisionIsNotPinned() {
        // given
        JsonNode schema = json("{'properties':{'user':{'$refOriginal':'aug:/schemas/user'}}}");

        // when
        List<Violation> violations = violations(schema);

        // then
        assertEquals(1, violations.size());
        assertEquals("/properties/user/$refOriginal", violations.getFirst().pointer());
        assertTrue(violations.getFirst().message().contains("must be pinned"), violations.getFirst().message());
    }

    @Test
    void everyUnresolvableRefIsReportedAtItsPointer() {
        // given
        JsonNode schema = json("""
                {'properties':{
                   'a/b~c':{'$ref':'aug:/schemas/missing'},
                   'list':{'items':{'$refOriginal':'aug:/schemas/user?9'}},
                   'ok':{'$ref':'aug:/schemas/user'}},
                 'allOf':[{'type':'object'},{'$ref':'aug:other@schemas/user'}]}""");

        // when
        List<Violation> violations = violations(schema);

        // then
        assertEquals(List.of("/properties/a~1b~0c/$ref", "/properties/list/items/$refOriginal", "/allOf/1/$ref"),
                violations.stream().map(Violation::pointer).toList());
        assertTrue(violations.getFirst().message().contains("aug:/schemas/missing"), violations.getFirst().message());
        assertTrue(violations.get(1).message().contains("aug:/schemas/user?9"), violations.get(1).message());
    }

    @Test
    void malformedAugUrisAreViolations() {
        // given
        JsonNode schema = json("{'allOf':[{'$ref':'aug:nonsense'},{'$ref':'aug:/schemas/user?0'},{'$refOriginal':'#/$defs/a','$ref':'aug:/schemas/user'}]}");

        // when
        List<Violation> violations = violations(schema);

        // then
        assertEquals(List.of("/allOf/0/$ref", "/allOf/1/$ref", "/allOf/2/$refOriginal"),
                violations.stream().map(Violation::pointer).toList());
        assertTrue(violations.getFirst().message().contains("aug:nonsense"), violations.getFirst().message());
    }

    @Test
    void existingRefResolvedThatExistsIsKeptAndNotReResolved() {
        // given: the floating $ref would resolve to ?2 today
        JsonNode schema = json("{'$ref':'aug:/schemas/user','$refResolved':'main@schemas/user?1'}");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals(schema, stamped.schema());
        assertEquals(List.of(vibeRef("main@schemas/user?1")), stamped.refs());
    }

    @Test
    void existingRefResolvedThatDoesNotExistIsAViolation() {
        // given
        JsonNode schema = json("{'items':{'$ref':'aug:/schemas/user','$refResolved':'main@schemas/user?3'}}");

        // when
        List<Violation> violations = violations(schema);

        // then
        assertEquals(List.of("/items/$refResolved"), violations.stream().map(Violation::pointer).toList());
        assertTrue(violations.getFirst().message().contains("main@schemas/user?3"), violations.getFirst().message());
    }

    @Test
    void malformedRefResolvedIsAViolationWhateverItsValue() {
        // given: $refResolved alone makes an object a reference, whatever its value
        JsonNode schema = json("{'allOf':[{'$refResolved':'schemas/user?1'},{'$refResolved':42},{'$refResolved':{'$ref':'aug:/nope'}}]}");

        // when
        List<Violation> violations = violations(schema);

        // then
        assertEquals(List.of("/allOf/0/$refResolved", "/allOf/1/$refResolved", "/allOf/2/$refResolved"),
                violations.stream().map(Violation::pointer).toList());
    }

    @Test
    void nonAugRefsAreLeftAlone() {
        // given
        JsonNode schema = json("""
                {'$defs':{'a':{'type':'string'}},
                 'allOf':[{'$ref':'#/$defs/a'},{'$ref':'#'},{'$ref':'https://example.com/s.json'},{'$ref':'other.json'},
                          {'$refOriginal':'https://example.com/s.json'}]}""");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals(schema, stamped.schema());
        assertEquals(List.of(), stamped.refs());
    }

    @Test
    void referencesAmongTheSiblingsOfAReferenceAreStampedToo() {
        // given
        JsonNode schema = json("{'$ref':'aug:/schemas/user','properties':{'home':{'$ref':'aug:/schemas/address'}}}");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals("main@schemas/address?1", stamped.schema().at("/properties/home/$refResolved").textValue());
        assertEquals(List.of(vibeRef("main@schemas/user?2"), vibeRef("main@schemas/address?1")), stamped.refs());
    }

    @Test
    void refsAreDistinctAndInDocumentOrder() {
        // given
        JsonNode schema = json("""
                {'properties':{
                   'home':{'$ref':'aug:/schemas/address'},
                   'owner':{'$ref':'aug:/schemas/user'},
                   'work':{'$refOriginal':'aug:/schemas/address?1'}},
                 'items':[{'$ref':'aug:/schemas/user?1'},{'$ref':'aug:main@schemas/user'}]}""");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals(List.of(vibeRef("main@schemas/address?1"), vibeRef("main@schemas/user?2"), vibeRef("main@schemas/user?1")),
                stamped.refs());
        assertEquals(stamped.refs(), SchemaReferences.of(stamped.schema()));
    }

    @Test
    void stampingIsIdempotent() {
        // given
        JsonNode schema = json("{'properties':{'user':{'$ref':'aug:/schemas/user'},'home':{'$refOriginal':'aug:/schemas/address?1'}}}");
        StampResult.Stamped once = stamped(schema);
        ledger.with("main@schemas/user?3"); // a newer head must not move an already stamped reference

        // when
        StampResult.Stamped twice = stamped(once.schema());

        // then
        assertEquals(once, twice);
    }

    @Test
    void stampingDoesNotChangeItsInput() {
        // given
        JsonNode schema = json("{'properties':{'user':{'$ref':'aug:/schemas/user'},'gone':{'$ref':'aug:/schemas/gone'}}}");
        JsonNode before = schema.deepCopy();

        // when
        SchemaStamper.stamp(schema, ledger);
        SchemaStamper.stamp(json("{'$ref':'aug:/schemas/user'}"), ledger);

        // then
        assertEquals(before, schema);
    }

    @Test
    void theStampedSchemaIsACopy() {
        // given
        JsonNode schema = json("{'type':'object'}");

        // when
        StampResult.Stamped stamped = stamped(schema);

        // then
        assertEquals(schema, stamped.schema());
        assertTrue(schema != stamped.schema());
    }

    @Test
    void lookupsAreTheUrisStampingResolves() {
        for (String text : List.of(
                "{'properties':{'user':{'$ref':'aug:/schemas/user'},'a':{'$ref':'aug:/schemas/address?1'}}}",
                "{'allOf':[{'$ref':'aug:dev/x@schemas/user'},{'$refOriginal':'aug:~main/schemas/user?1'},{'$ref':'#/x'}]}",
                "{'$refOriginal':'aug:/schemas/user?1','$ref':'aug:/schemas/user'}",
                "{'items':{'$ref':'aug:/schemas/user','$refResolved':'main@schemas/user?1'},'not':{'$ref':'aug:/schemas/missing'}}",
                "{'items':[{'$ref':'aug:/bad id'},{'$refOriginal':'aug:/schemas/user'},{'$refOriginal':42,'$ref':'aug:/schemas/user'}]}")) {
            List<AugUri> resolved = new java.util.ArrayList<>();
            SchemaStamper.stamp(json(text), new ReferenceLookup() {
                @Override
                public java.util.Optional<dev.refinery.domain.VibeRef> resolve(AugUri uri) {
                    resolved.add(uri);
                    return ledger.resolve(uri);
                }

                @Override
                public boolean exists(dev.refinery.domain.VibeRef ref) {
                    return ledger.exists(ref);
                }
            });
            assertEquals(resolved, SchemaStamper.lookups(json(text)), text);
        }
    }

    private StampResult.Stamped stamped(JsonNode schema) {
        return assertInstanceOf(StampResult.Stamped.class, SchemaStamper.stamp(schema, ledger));
    }

    private List<Violation> violations(JsonNode schema) {
        return assertInstanceOf(StampResult.Unresolved.class, SchemaStamper.stamp(schema, ledger)).violations();
    }
}
