package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.Violation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pattern}, {@code patternProperties} and {@code propertyNames} patterns run in linear time: a pattern that
 * backtracks catastrophically in java.util.regex answers like any other. A pattern the linear engine cannot run is
 * refused when the schema is checked, with a pointer to it. The generous bound below only catches a hang: the JDK's
 * engine needs longer than the age of the universe for these inputs.
 */
class SchemaPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final String CATASTROPHIC = "^(.*a){25}$";
    private static final String BAIT = "a".repeat(60) + "!";

    private final SchemaValidator validator = new SchemaValidator();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode schemaWith(String keyword, JsonNode value) {
        ObjectNode schema = JSON.createObjectNode();
        schema.set(keyword, value);
        return schema;
    }

    @Test
    void aCatastrophicPatternAnswersInsteadOfBacktrackingForever() {
        JsonNode schema = schemaWith("pattern", JSON.getNodeFactory().textNode(CATASTROPHIC));
        assertEquals(List.of(), validator.checkSchema(schema));
        List<Violation> violations = assertTimeoutPreemptively(HANG,
                () -> validator.validate(schema, JSON.getNodeFactory().textNode(BAIT)));
        assertEquals(1, violations.size(), violations::toString);
        assertEquals("", violations.get(0).pointer());
        assertEquals(List.of(), validator.validate(schema, JSON.getNodeFactory().textNode("a".repeat(25))));
    }

    @Test
    void patternPropertiesAndPropertyNamesRunInLinearTimeToo() {
        ObjectNode properties = JSON.createObjectNode();
        properties.set(CATASTROPHIC, json("{\"type\": \"integer\"}"));
        JsonNode byProperties = schemaWith("patternProperties", properties);
        JsonNode instance = JSON.createObjectNode().put(BAIT, "x");
        assertEquals(List.of(), validator.checkSchema(byProperties));
        assertEquals(List.of(), assertTimeoutPreemptively(HANG, () -> validator.validate(byProperties, instance)));

        JsonNode byNames = schemaWith("propertyNames", schemaWith("pattern", JSON.getNodeFactory().textNode(CATASTROPHIC)));
        assertEquals(List.of(), validator.checkSchema(byNames));
        List<Violation> violations = assertTimeoutPreemptively(HANG, () -> validator.validate(byNames, instance));
        assertFalse(violations.isEmpty());
    }

    @Test
    void aPatternTheLinearEngineCannotRunIsRefusedWithAPointerToIt() {
        // look-around and back-references need backtracking: refused when the schema is checked, not at validation
        List<Violation> lookahead = validator.checkSchema(json("{\"properties\": {\"a\": {\"pattern\": \"^(?=x)x\"}}}"));
        assertEquals(1, lookahead.size(), lookahead::toString);
        assertEquals("/properties/a/pattern", lookahead.get(0).pointer());
        assertTrue(lookahead.get(0).message().contains("(?="), lookahead.get(0)::message);

        List<Violation> backReference = validator.checkSchema(json("{\"patternProperties\": {\"(a)\\\\1\": {}}}"));
        assertEquals(1, backReference.size(), backReference::toString);
        assertEquals("/patternProperties", backReference.get(0).pointer());

        assertFalse(validator.checkSchema(json("{\"pattern\": \"(\"}")).isEmpty());
        // a pattern in data (const, enum, a property named "pattern") is not a pattern
        assertEquals(List.of(), validator.checkSchema(json("{\"const\": {\"pattern\": \"(\"},"
                + " \"properties\": {\"pattern\": {\"type\": \"string\"}}}")));
    }

    @Test
    void ecmaScriptSyntaxThatTheLinearEngineSpellsOtherwiseStillMatches() {
        JsonNode escaped = json("{\"pattern\": \"^caf\\\\u00e9 \\\\d+\\\\/\\\\-$\"}");
        assertEquals(List.of(), validator.checkSchema(escaped));
        assertEquals(List.of(), validator.validate(escaped, JSON.getNodeFactory().textNode("café 12/-")));
        assertEquals(1, validator.validate(escaped, JSON.getNodeFactory().textNode("cafe 12/-")).size());
        // a pattern is a search, not a whole-string match, as in ECMA-262
        JsonNode unanchored = json("{\"pattern\": \"b+\"}");
        assertEquals(List.of(), validator.validate(unanchored, JSON.getNodeFactory().textNode("abbc")));
        // '$' matches only at the end, never before a final newline (java.util.regex's '$' does)
        JsonNode anchored = json("{\"pattern\": \"^a$\"}");
        assertEquals(1, validator.validate(anchored, JSON.getNodeFactory().textNode("a\n")).size());
    }

    @Test
    void aPatternWhoseProgramIsHugeIsRefusedBeforeItIsCompiled() {
        List<Violation> nested = assertTimeoutPreemptively(HANG,
                () -> validator.checkSchema(json("{\"pattern\": \"((a{100}){100}){100}\"}")));
        assertEquals(1, nested.size(), nested::toString);
        assertEquals("/pattern", nested.get(0).pointer());
        assertTrue(nested.get(0).message().contains("instructions"), nested.get(0)::message);
        assertEquals(List.of(), validator.checkSchema(json("{\"pattern\": \"^[A-Za-z0-9]{1,64}$\"}")));
    }

    @Test
    void aMatchThatWouldTakeTooManyStepsIsStoppedAndSaysWhy() {
        JsonNode schema = json("{\"pattern\": \"(.*a){900}\"}");
        assertEquals(List.of(), validator.checkSchema(schema));
        List<Violation> violations = assertTimeoutPreemptively(HANG,
                () -> validator.validate(schema, JSON.getNodeFactory().textNode("a".repeat(200_000))));
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).message().contains("steps"), violations.get(0)::message);
        // the same pattern on a short string answers as usual
        assertEquals(1, validator.validate(schema, JSON.getNodeFactory().textNode("a".repeat(100))).size());
    }

    @Test
    void aSchemaWhosePatternsCompileToTooMuchInAllIsRefused() {
        ObjectNode properties = JSON.createObjectNode();
        ObjectNode instance = JSON.createObjectNode();
        for (int i = 0; i < 60; i++) {
            properties.set("p" + i, schemaWith("pattern", JSON.getNodeFactory().textNode("(.*a){999}")));
            instance.put("p" + i, "a");
        }
        JsonNode schema = schemaWith("properties", properties);
        List<Violation> violations = assertTimeoutPreemptively(HANG, () -> validator.validate(schema, instance));
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).message().contains("in all"), violations.get(0)::message);
        // the bound is per schema: a small one validates afterwards on the same thread
        assertEquals(List.of(), validator.validate(json("{\"pattern\": \"^a\"}"), JSON.getNodeFactory().textNode("a")));
    }
}
