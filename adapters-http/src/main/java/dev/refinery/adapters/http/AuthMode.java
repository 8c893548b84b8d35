package dev.refinery.adapters.http;

import java.util.Locale;

/** How {@code /v1} callers are identified (API.md, Authentication). */
public enum AuthMode {
    /** Nobody is asked who they are; every write is authored by the root role. Loopback only. */
    NONE,
    /** Every call needs {@code Authorization: Bearer TOKEN}; the token's role authors its writes. */
    TOKEN;

    /** Parses {@code none} or {@code token}, in any letter case. */
    public static AuthMode parse(String text) {
        for (AuthMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text)) return mode;
        }
        throw new IllegalArgumentException("auth.mode must be none or token, not '" + text + "'");
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
