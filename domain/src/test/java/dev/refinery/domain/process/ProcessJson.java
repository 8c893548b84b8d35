package dev.refinery.domain.process;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON with single quotes, to keep the tests readable. */
final class ProcessJson {
    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true);

    private ProcessJson() {}

    /** The violations of an invalid parse (fails the test on a valid one). */
    static java.util.List<dev.refinery.domain.Violation> violationsOf(Parsed<?> parsed) {
        return ((Parsed.Invalid<?>) org.junit.jupiter.api.Assertions.assertInstanceOf(Parsed.Invalid.class, parsed,
                () -> "expected violations, got " + parsed)).violations();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }
}
