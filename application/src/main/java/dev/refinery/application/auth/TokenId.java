package dev.refinery.application.auth;

import dev.refinery.domain.MalformedTextException;

import java.util.regex.Pattern;

/**
 * How a token is named to list or revoke it: the first 16 hex digits of its hash. It tells nothing of
 * the token (a hash of 256 random bits), and PostgreSQL derives the same from the stored hash.
 */
public record TokenId(String value) {
    public static final int LENGTH = 16;
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{" + LENGTH + "}");

    public TokenId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new MalformedTextException("token id", value, -1, "a token id is " + LENGTH + " lower-case hex digits");
        }
    }

    public static TokenId parse(String text) {
        return new TokenId(text);
    }

    public static TokenId of(TokenHash hash) {
        return new TokenId(hash.hex().substring(0, LENGTH));
    }

    @Override
    public String toString() {
        return value;
    }
}
