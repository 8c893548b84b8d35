package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void computesOncePerDocument() {
        SchemaCache<String> cache = new SchemaCache<>(10, 1_000);
        AtomicInteger computed = new AtomicInteger();
        JsonNode a = json("{\"type\": \"object\", \"required\": [\"x\"], \"properties\": {\"x\": {}}}");
        SchemaCache.Key key = SchemaCache.Key.of(a);
        assertEquals(null, cache.get(key));
        cache.put(key, s -> "v" + computed.incrementAndGet());
        assertEquals("v1", cache.get(SchemaCache.Key.of(json(a.toString()))));
        assertEquals(1, computed.get());
        // another order of the members is another document (networknt might walk it in that order)
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"required\": [\"x\"], \"type\": \"object\", \"properties\": {\"x\": {}}}"))));
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"type\": \"object\", \"required\": [\"x\"], \"properties\": {\"x\": []}}"))));
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"type\": \"object\", \"required\": [\"x\"], \"properties\": {\"y\": {}}}"))));
    }

    @Test
    void numbersOfAnotherTypeAreAnotherSchema() {
        SchemaCache<String> cache = new SchemaCache<>(10, 1_000);
        JsonNode one = json("{\"const\": 1}");
        cache.put(SchemaCache.Key.of(one), s -> "int");
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"const\": 1.0}"))));
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"const\": 2}"))));
    }

    @Test
    void keepsItsOwnCopySoAChangedCallerTreeFindsNothingStale() {
        SchemaCache<JsonNode> cache = new SchemaCache<>(10, 1_000);
        ObjectNode schema = (ObjectNode) json("{\"type\": \"string\"}");
        SchemaCache.Key key = SchemaCache.Key.of(schema);
        JsonNode given = cache.put(key, s -> s);
        assertNotSame(schema, given);
        schema.put("type", "integer");
        assertEquals(null, cache.get(SchemaCache.Key.of(schema)));
        assertEquals(json("{\"type\": \"string\"}"), cache.get(SchemaCache.Key.of(json("{\"type\": \"string\"}"))));
    }

    @Test
    void evictsTheLeastRecentlyUsedPastItsBounds() {
        SchemaCache<Integer> cache = new SchemaCache<>(3, 1_000);
        for (int i = 0; i < 3; i++) {
            int n = i;
            cache.put(SchemaCache.Key.of(json("{\"const\": " + i + "}")), s -> n);
        }
        assertEquals(0, cache.get(SchemaCache.Key.of(json("{\"const\": 0}")))); // 0 is now the most recent
        cache.put(SchemaCache.Key.of(json("{\"const\": 3}")), s -> 3);
        assertEquals(3, cache.size());
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"const\": 1}"))));
        assertEquals(0, cache.get(SchemaCache.Key.of(json("{\"const\": 0}"))));

        SchemaCache<Integer> byNodes = new SchemaCache<>(100, 80); // schemas of 3 nodes, at most 80 nodes
        for (int i = 0; i < 40; i++) {
            int n = i;
            byNodes.put(SchemaCache.Key.of(json("{\"const\": [" + i + "]}")), s -> n);
        }
        assertEquals(26, byNodes.size());
    }

    @Test
    void doesNotKeepSchemasLargerThanAnEighthOfItsNodes() {
        SchemaCache<String> cache = new SchemaCache<>(10, 80);
        JsonNode big = json("{\"enum\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}");
        assertEquals("computed", cache.put(SchemaCache.Key.of(big), s -> "computed"));
        assertEquals(0, cache.size());
    }

    @Test
    void theValidatorAnswersAsBeforeFromItsCaches() {
        SchemaValidator validator = new SchemaValidator();
        JsonNode schema = json("{\"type\": \"object\", \"required\": [\"city\"], \"properties\": {\"city\": {\"type\": \"string\"}}}");
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), validator.checkSchema(schema));
            assertEquals(List.of(), validator.validate(schema, json("{\"city\": \"x\"}")));
            List<Violation> wrong = validator.validate(schema, json("{\"city\": 1}"));
            assertEquals(1, wrong.size());
            assertEquals("/city", wrong.get(0).pointer());
            assertEquals(1, validator.validate(schema, json("{}")).size());
        }
        List<Violation> bad = validator.checkSchema(json("{\"type\": 12}"));
        assertTrue(!bad.isEmpty());
        assertEquals(bad, validator.checkSchema(json("{\"type\": 12}")));
        // a cycle that consumes nothing overflows each time and is never kept
        JsonNode endless = json("{\"$ref\": \"#\"}");
        List<Violation> first = validator.validate(endless, json("{}"));
        assertEquals(first, validator.validate(endless, json("{}")));
        assertTrue(first.get(0).message().contains("refers to itself"));
    }

    @Test
    void oneCompiledSchemaServesConcurrentValidations() throws Exception {
        SchemaValidator validator = new SchemaValidator();
        JsonNode schema = json("{\"$defs\": {\"a\": {\"type\": \"object\", \"properties\": {\"n\": {\"$ref\": \"#/$defs/n\"}}},"
                + " \"n\": {\"type\": \"integer\"}}, \"$ref\": \"#/$defs/a\"}");
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                boolean valid = i % 2 == 0;
                JsonNode instance = json(valid ? "{\"n\": 1}" : "{\"n\": \"x\"}");
                answers.add(pool.submit(() -> validator.validate(schema, instance).isEmpty() == valid));
            }
            for (Future<Boolean> answer : answers) assertTrue(answer.get());
        }
    }

    private static void assertNotSame(Object a, Object b) {
        assertTrue(a != b, "expected a copy");
    }
}
