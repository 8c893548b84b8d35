package dev.refinery.domain.schema;

import dev.refinery.domain.MalformedTextException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaViewTest {

    @Test
    void viewsParseInAnyLetterCase() {
        assertEquals(SchemaView.STAMPED, SchemaView.parse("stamped"));
        assertEquals(SchemaView.BUNDLED, SchemaView.parse("Bundled"));
        assertEquals(SchemaView.INLINED, SchemaView.parse("INLINED"));
    }

    @Test
    void anUnknownViewNamesTheAllowedOnes() {
        // when
        var e = assertThrows(MalformedTextException.class, () -> SchemaView.parse("flattened"));

        // then
        assertTrue(e.getMessage().contains("flattened") && e.getMessage().contains("stamped, bundled, inlined"), e.getMessage());
        assertThrows(MalformedTextException.class, () -> SchemaView.parse(null));
        assertThrows(MalformedTextException.class, () -> SchemaView.parse(""));
    }

    @Test
    void aViewFormatsAsItParses() {
        for (SchemaView view : SchemaView.values()) {
            assertEquals(view, SchemaView.parse(view.text()));
        }
    }
}
