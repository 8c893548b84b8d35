package dev.refinery.domain.schema;

import dev.refinery.domain.MalformedTextException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ways to read a vibe's schema (docs/schema-resolution.md, "The views of a stored vibe's schema"). */
public enum SchemaView {
    /** As stored: aug references carry {@code $refResolved}. */
    STAMPED,
    /** One standalone JSON Schema 2020-12 document with every dependency once under {@code $defs}. */
    BUNDLED,
    /** Every reference replaced by the schema it names; may be capped on diamond-shaped graphs. */
    INLINED;

    /** Parses {@code stamped}, {@code bundled} or {@code inlined}, in any letter case. */
    public static SchemaView parse(String text) {
        if (text != null) {
            for (SchemaView view : values()) {
                if (view.name().equalsIgnoreCase(text)) return view;
            }
        }
        throw new MalformedTextException("schema view", text, -1, "must be one of " + Arrays.stream(values())
                .map(SchemaView::text).collect(Collectors.joining(", ")));
    }

    /** The name used in URLs, e.g. {@code bundled}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
