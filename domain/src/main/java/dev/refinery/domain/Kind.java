package dev.refinery.domain;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a vibe is. */
public enum Kind {
    RECORD, ROLE, PROCESS, CAPABILITY;

    public static Kind parse(String text) {
        for (Kind k : values()) {
            if (k.name().equals(text)) return k;
        }
        throw new MalformedTextException("kind", text, -1, "must be one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
