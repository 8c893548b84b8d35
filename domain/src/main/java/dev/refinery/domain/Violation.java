package dev.refinery.domain;

/** One thing wrong with an input, located by a JSON pointer (RFC 6901) into that input. */
public record Violation(String pointer, String message) {
    public Violation {
        if (pointer == null || message == null) throw new IllegalArgumentException("pointer and message are required");
    }

    /** The same violation seen from a containing document, where this input sits at {@code prefix}. */
    public Violation under(String prefix) {
        return new Violation(prefix + pointer, message);
    }

    /** Escapes one reference token for a JSON pointer: '~' as "~0" and '/' as "~1". */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
