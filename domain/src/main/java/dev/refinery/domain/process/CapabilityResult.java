package dev.refinery.domain.process;

import com.fasterxml.jackson.databind.JsonNode;

/** How one call of a capability ended. */
public sealed interface CapabilityResult {

    /** The capability answered with {@code output}. */
    record Succeeded(JsonNode output) implements CapabilityResult {
        public Succeeded {
            if (output == null) throw new IllegalArgumentException("output is required (JSON null is a NullNode)");
            output = output.deepCopy();
        }
    }

    /**
     * The capability failed. {@code retryable} says whether trying the same call again may succeed
     * (a timeout, a 503) or cannot (bad input, a schema violation, a failure on purpose).
     */
    record Failed(String message, boolean retryable) implements CapabilityResult {
        public Failed {
            if (message == null || message.isBlank()) throw new IllegalArgumentException("a failure says why");
        }
    }

    static CapabilityResult fatal(String message) {
        return new Failed(message, false);
    }
}
