package dev.refinery.domain;

import java.util.Locale;

/** Why a refinement was made. */
public enum RefinementKind {
    REFINE, MERGE, PROCESS;

    /** The lower-case name used in storage and on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RefinementKind fromWireName(String text) {
        for (RefinementKind k : values()) {
            if (k.wireName().equals(text)) return k;
        }
        throw new MalformedTextException("refinement kind", text, -1, "must be refine, merge or process");
    }
}
