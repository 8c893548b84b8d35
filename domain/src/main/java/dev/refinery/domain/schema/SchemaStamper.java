package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static dev.refinery.domain.schema.SchemaTree.REF;
import static dev.refinery.domain.schema.SchemaTree.REF_ORIGINAL;
import static dev.refinery.domain.schema.SchemaTree.REF_RESOLVED;

/**
 * Fixes every aug reference of an incoming schema to the vibe it names now, by adding
 * {@code $refResolved} (docs/schema-resolution.md, "Stamping"). A reference that already carries
 * {@code $refResolved} is only checked, so stamping a stamped schema changes nothing.
 */
public final class SchemaStamper {
    private SchemaStamper() {}

    /** Stamps a copy of {@code schema}; the input is never changed. */
    public static StampResult stamp(JsonNode schema, ReferenceLookup lookup) {
        JsonNode stamped = schema.deepCopy();
        List<Violation> violations = new ArrayList<>();
        Set<VibeRef> refs = new LinkedHashSet<>();
        SchemaTree.forEachObject(stamped, (pointer, object, augReference) -> {
            if (augReference) stampReference(pointer, object, lookup, violations).ifPresent(refs::add);
        });
        return violations.isEmpty()
                ? new StampResult.Stamped(stamped, List.copyOf(refs))
                : new StampResult.Unresolved(violations);
    }

    /**
     * The aug URIs {@link #stamp} would look up for {@code schema}, in document order: those of its
     * references without {@code $refResolved} that are well-formed (and pinned, in {@code $refOriginal}).
     * A caller may read what they name ahead of stamping, all at once; stamping still decides everything.
     */
    public static List<AugUri> lookups(JsonNode schema) {
        List<AugUri> uris = new ArrayList<>();
        SchemaTree.forEachObject(schema, (pointer, object, augReference) -> {
            if (!augReference || object.has(REF_RESOLVED)) return;
            String key = object.has(REF_ORIGINAL) ? REF_ORIGINAL : REF;
            JsonNode value = object.get(key);
            if (value == null || !value.isTextual()) return;
            try {
                AugUri uri = AugUri.parse(value.textValue());
                if (!key.equals(REF_ORIGINAL) || uri.isPinned()) uris.add(uri);
            } catch (MalformedTextException e) {
                // stamping reports it
            }
        });
        return uris;
    }

    private static Optional<VibeRef> stampReference(String pointer, ObjectNode reference, ReferenceLookup lookup,
                                                    List<Violation> violations) {
        if (reference.has(REF_RESOLVED)) {
            return checkResolved(pointer, reference.get(REF_RESOLVED), lookup, violations);
        }
        String key = reference.has(REF_ORIGINAL) ? REF_ORIGINAL : REF;
        String at = SchemaTree.child(pointer, key);
        Optional<AugUri> uri = parseUri(at, reference.get(key), violations);
        if (uri.isEmpty()) return Optional.empty();
        String written = reference.get(key).textValue();
        if (key.equals(REF_ORIGINAL) && !uri.get().isPinned()) {
            violations.add(new Violation(at, "must be pinned: '" + written
                    + "' names no revision (add '?N', or use " + REF + " for a floating reference)"));
            return Optional.empty();
        }
        Optional<VibeRef> resolved = lookup.resolve(uri.get());
        resolved.ifPresentOrElse(
                ref -> reference.put(REF_RESOLVED, ref.toString()),
                () -> violations.add(new Violation(at, "'" + written + "' resolves to no vibe")));
        return resolved;
    }

    private static Optional<VibeRef> checkResolved(String pointer, JsonNode value, ReferenceLookup lookup,
                                                   List<Violation> violations) {
        String at = SchemaTree.child(pointer, REF_RESOLVED);
        if (!value.isTextual()) {
            violations.add(new Violation(at, "must be a canonical ref string BRANCH@ID?REVISION, not " + typeOf(value)));
            return Optional.empty();
        }
        VibeRef ref;
        try {
            ref = VibeRef.parse(value.textValue());
        } catch (MalformedTextException e) {
            violations.add(new Violation(at, e.getMessage()));
            return Optional.empty();
        }
        if (!lookup.exists(ref)) {
            violations.add(new Violation(at, "'" + ref + "' does not exist"));
            return Optional.empty();
        }
        return Optional.of(ref);
    }

    private static Optional<AugUri> parseUri(String at, JsonNode value, List<Violation> violations) {
        if (!value.isTextual()) {
            violations.add(new Violation(at, "must be an aug URI string, not " + typeOf(value)));
            return Optional.empty();
        }
        try {
            return Optional.of(AugUri.parse(value.textValue()));
        } catch (MalformedTextException e) {
            violations.add(new Violation(at, e.getMessage()));
            return Optional.empty();
        }
    }

    private static String typeOf(JsonNode value) {
        return "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
