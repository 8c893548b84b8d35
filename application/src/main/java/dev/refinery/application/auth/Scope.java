package dev.refinery.application.auth;

import dev.refinery.domain.MalformedTextException;

import java.util.Locale;

/** What a token lets its holder do: {@code read}, {@code write} or everything ({@code admin}). */
public enum Scope {
    READ, WRITE, ADMIN;

    /** The lower-case name used in configuration, storage and on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope parse(String text) {
        for (Scope s : values()) {
            if (s.wireName().equals(text)) return s;
        }
        throw new MalformedTextException("scope", text, -1, "must be read, write or admin");
    }
}
