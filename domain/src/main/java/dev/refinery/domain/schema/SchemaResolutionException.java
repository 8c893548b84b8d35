package dev.refinery.domain.schema;

/**
 * A closure whose schemas cannot be combined into one view, e.g. a root {@code $defs} entry that
 * clashes with a dependency's key.
 */
public final class SchemaResolutionException extends RuntimeException {

    public SchemaResolutionException(String message) {
        super(message);
    }
}
