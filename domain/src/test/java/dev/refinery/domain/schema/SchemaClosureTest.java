package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.refinery.domain.schema.TestSchemas.json;
import static dev.refinery.domain.schema.TestSchemas.vibeRef;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaClosureTest {
    /** a → b, a → c, b → d, c → d. */
    private final TestLedger diamond = new TestLedger()
            .write("main@d?1", json("{'type':'string'}"))
            .write("main@b?1", json("{'items':{'$ref':'aug:/d'}}"))
            .write("main@c?1", json("{'items':{'$ref':'aug:/d'}}"))
            .write("main@a?1", json("{'allOf':[{'$ref':'aug:/b'},{'$ref':'aug:/c'}]}"));

    @Test
    void collectsEveryTransitiveDependencyLoadingEachOnce() {
        // when
        SchemaClosure closure = diamond.closure("main@a?1");

        // then
        assertEquals(List.of(vibeRef("main@a?1"), vibeRef("main@b?1"), vibeRef("main@c?1"), vibeRef("main@d?1")),
                List.copyOf(closure.schemas().keySet()));
        assertEquals(4, diamond.loads());
        assertEquals(diamond.schema("main@a?1"), closure.rootSchema());
    }

    @Test
    void dependenciesAreAllButTheRoot() {
        // when
        Map<VibeRef, JsonNode> dependencies = diamond.closure("main@a?1").dependencies();

        // then
        assertEquals(List.of(vibeRef("main@b?1"), vibeRef("main@c?1"), vibeRef("main@d?1")), List.copyOf(dependencies.keySet()));
    }

    @Test
    void aVibeWithoutReferencesIsItsOwnClosure() {
        // when
        SchemaClosure closure = diamond.closure("main@d?1");

        // then
        assertEquals(Map.of(vibeRef("main@d?1"), json("{'type':'string'}")), closure.schemas());
        assertTrue(closure.dependencies().isEmpty());
    }

    @Test
    void nothingIsCollectedWhenADependencyCannotBeLoaded() {
        // given: a stored schema that references a vibe the store lacks
        Map<VibeRef, JsonNode> stored = Map.of(vibeRef("main@a?1"), json("{'$ref':'aug:/gone','$refResolved':'main@gone?1'}"));

        // when
        Optional<SchemaClosure> closure = SchemaClosure.collect(vibeRef("main@a?1"), ref -> Optional.ofNullable(stored.get(ref)));

        // then
        assertEquals(Optional.empty(), closure);
    }

    @Test
    void nothingIsCollectedWhenTheRootCannotBeLoaded() {
        assertEquals(Optional.empty(), SchemaClosure.collect(vibeRef("main@nobody?1"), diamond::load));
    }

    @Test
    void anIncompleteClosureCannotBeMade() {
        // given
        Map<VibeRef, JsonNode> schemas = new LinkedHashMap<>();
        schemas.put(vibeRef("main@a?1"), json("{'$ref':'aug:/b','$refResolved':'main@b?1'}"));

        // when / then
        assertThrows(IllegalArgumentException.class, () -> new SchemaClosure(vibeRef("main@a?1"), schemas));
        assertThrows(IllegalArgumentException.class, () -> new SchemaClosure(vibeRef("main@x?1"), Map.of()));
    }

    @Test
    void theClosureHoldsCopiesOfTheSchemasItWasGiven() {
        // given
        JsonNode schema = json("{'type':'string'}");
        SchemaClosure closure = new SchemaClosure(vibeRef("main@a?1"), Map.of(vibeRef("main@a?1"), schema));

        // when
        ((ObjectNode) schema).put("type", "number");

        // then
        assertEquals(json("{'type':'string'}"), closure.rootSchema());
    }
}
