package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.refinery.domain.schema.TestSchemas.json;
import static dev.refinery.domain.schema.TestSchemas.vibeRef;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaReferencesTest {

    @Test
    void referencesAreDistinctInDocumentOrder() {
        // given
        JsonNode stamped = json("""
                {'allOf':[{'$ref':'aug:/b','$refResolved':'main@b?1'},{'$ref':'#/$defs/x'}],
                 'properties':{'a':{'$refResolved':'main@a?2','items':{'$refOriginal':'aug:/b?1','$refResolved':'main@b?1'}},
                               'c':{'$ref':'aug:/c','$refResolved':'dev/x@c?3'}}}""");

        // when
        var refs = SchemaReferences.of(stamped);

        // then
        assertEquals(List.of(vibeRef("main@b?1"), vibeRef("main@a?2"), vibeRef("dev/x@c?3")), refs);
    }

    @Test
    void aSchemaWithoutAugReferencesReferencesNothing() {
        assertEquals(List.of(), SchemaReferences.of(json("{'$ref':'#/$defs/a','$defs':{'a':{'$ref':'https://x.org/s'}}}")));
        assertEquals(List.of(), SchemaReferences.of(json("true")));
    }

    @Test
    void anUnstampedReferenceIsRejected() {
        // given
        JsonNode unstamped = json("{'properties':{'a':{'$ref':'aug:/a'}}}");

        // when
        var e = assertThrows(IllegalArgumentException.class, () -> SchemaReferences.of(unstamped));

        // then
        assertTrue(e.getMessage().contains("/properties/a"), e.getMessage());
    }

    @Test
    void aMalformedRefResolvedIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SchemaReferences.of(json("{'$refResolved':'main@a'}")));
        assertThrows(IllegalArgumentException.class, () -> SchemaReferences.of(json("{'$refResolved':1}")));
    }
}
