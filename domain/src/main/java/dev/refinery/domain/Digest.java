package dev.refinery.domain;

import java.util.regex.Pattern;

/** A content address: {@code sha256:} followed by 64 lower-case hex digits. */
public record Digest(String value) {
    private static final Pattern FORMAT = Pattern.compile("sha256:[0-9a-f]{64}");

    public Digest {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new MalformedTextException("digest", value, -1, "must be 'sha256:' and 64 lower-case hex digits");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
