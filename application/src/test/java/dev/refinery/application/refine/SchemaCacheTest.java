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
        SchemaCache<String> cache = new SchemaCache<>(10, 100_000, 1);
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
        SchemaCache<String> cache = new SchemaCache<>(10, 100_000, 1);
        JsonNode one = json("{\"const\": 1}");
        cache.put(SchemaCache.Key.of(one), s -> "int");
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"const\": 1.0}"))));
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"const\": 2}"))));
    }

    @Test
    void keepsItsOwnCopySoAChangedCallerTreeFindsNothingStale() {
        SchemaCache<JsonNode> cache = new SchemaCache<>(10, 100_000, 1);
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
        SchemaCache<Integer> cache = new SchemaCache<>(3, 100_000, 1);
        for (int i = 0; i < 3; i++) {
            int n = i;
            cache.put(SchemaCache.Key.of(json("{\"const\": " + i + "}")), s -> n);
        }
        assertEquals(0, cache.get(SchemaCache.Key.of(json("{\"const\": 0}")))); // 0 is now the most recent
        cache.put(SchemaCache.Key.of(json("{\"const\": 3}")), s -> 3);
        assertEquals(3, cache.size());
        assertEquals(null, cache.get(SchemaCache.Key.of(json("{\"const\": 1}"))));
        assertEquals(0, cache.get(SchemaCache.Key.of(json("{\"const\": 0}"))));

        // by weight: each {"const": [i]} weighs 3 nodes and the characters of "const"
        long each = SchemaCache.bytes(json("{\"const\": [0]}"), Long.MAX_VALUE);
        assertEquals(3 * SchemaCache.BYTES_PER_NODE + 5, each);
        SchemaCache<Integer> byBytes = new SchemaCache<>(100, 26 * each, 1);
        for (int i = 0; i < 40; i++) {
            int n = i;
            byBytes.put(SchemaCache.Key.of(json("{\"const\": [" + i + "]}")), s -> n);
        }
        assertEquals(26, byBytes.size());
        assertEquals(26 * each, byBytes.bytes());
    }

    @Test
    void aLongStringWeighsItsLengthNotOneNode() {
        JsonNode longString = json("{\"description\": \"" + "x".repeat(10_000) + "\"}");
        assertTrue(SchemaCache.bytes(longString, Long.MAX_VALUE) > 10_000);
        SchemaCache<String> cache = new SchemaCache<>(100, 50_000, 1);
        cache.put(SchemaCache.Key.of(longString), s -> "computed");
        assertEquals(0, cache.size()); // more than an eighth of the bound: computed, not kept
    }

    @Test
    void anEntryThatGrowsIsWeighedAgainAndTheEldestMakeRoom() {
        SchemaCache<Integer> cache = new SchemaCache<>(100, 8_000, 2);
        SchemaCache.Key a = SchemaCache.Key.of(json("{\"const\": 1}"));
        SchemaCache.Key b = SchemaCache.Key.of(json("{\"const\": 2}"));
        cache.put(a, s -> 1);
        cache.put(b, s -> 2);
        long two = cache.bytes();
        assertEquals(2 * 2 * (2 * SchemaCache.BYTES_PER_NODE + 5), two);
        cache.grow(b, 500);
        assertEquals(two + 500, cache.bytes());
        cache.grow(b, 1_000_000); // past an eighth of the bound: dropped
        assertEquals(null, cache.get(b));
        assertEquals(1, cache.get(a));
    }

    @Test
    void doesNotKeepSchemasWeighingMoreThanAnEighthOfItsBytes() {
        JsonNode big = json("{\"enum\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}");
        SchemaCache<String> cache = new SchemaCache<>(10, 8 * SchemaCache.bytes(big, Long.MAX_VALUE) - 1, 1);
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
