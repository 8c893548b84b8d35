package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static dev.refinery.domain.schema.SchemaTree.DEFS;
import static dev.refinery.domain.schema.SchemaTree.ID;
import static dev.refinery.domain.schema.SchemaTree.REF;
import static dev.refinery.domain.schema.SchemaTree.REF_ORIGINAL;
import static dev.refinery.domain.schema.SchemaTree.SCHEMA;

/**
 * Builds the views of a vibe's schema from its closure (docs/schema-resolution.md, "The views of a
 * stored vibe's schema"). Every view is a new document; the closure is never changed.
 */
public final class SchemaResolver {
    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    /**
     * Caps of the inlined view, which can grow exponentially on diamond-shaped graphs.
     *
     * @param maxInlinedNodes the most JSON nodes (objects, arrays and values, the root included) the result may hold
     * @param maxInlineDepth  the most references that may nest inside one another, counted from the root
     * @param maxInlinedBytes the most bytes the result may have as compact UTF-8 JSON (a few nodes holding long
     *                        strings, repeated by a diamond, are small as nodes and huge as text)
     */
    public record Limits(int maxInlinedNodes, int maxInlineDepth, long maxInlinedBytes) {
        public static final long DEFAULT_MAX_INLINED_BYTES = 16L * 1024 * 1024;
        public static final Limits DEFAULT = new Limits(100_000, 64, DEFAULT_MAX_INLINED_BYTES);

        public Limits {
            if (maxInlinedNodes < 1 || maxInlineDepth < 0 || maxInlinedBytes < 2) {
                throw new IllegalArgumentException("maxInlinedNodes must be positive, maxInlineDepth not negative"
                        + " and maxInlinedBytes at least 2");
            }
        }

        /** The node and depth caps, with the default byte cap. */
        public Limits(int maxInlinedNodes, int maxInlineDepth) {
            this(maxInlinedNodes, maxInlineDepth, DEFAULT_MAX_INLINED_BYTES);
        }
    }

    private final Limits limits;

    public SchemaResolver() {
        this(Limits.DEFAULT);
    }

    public SchemaResolver(Limits limits) {
        if (limits == null) throw new IllegalArgumentException("limits are required");
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    public JsonNode view(SchemaView view, SchemaClosure closure) {
        return switch (view) {
            case STAMPED -> stamped(closure);
            case BUNDLED -> bundled(closure);
            case INLINED -> inlined(closure);
        };
    }

    /** The root's schema as stored. */
    public JsonNode stamped(SchemaClosure closure) {
        return closure.rootSchema().deepCopy();
    }

    /**
     * The root's schema as one JSON Schema 2020-12 document, each dependency once under {@code $defs}.
     *
     * @throws SchemaResolutionException when a root {@code $defs} entry has a dependency's key
     */
    public JsonNode bundled(SchemaClosure closure) {
        return bundled(closure.rootSchema(), closure.dependencies());
    }

    /**
     * The bundled view of a schema that is stamped but not stored yet, so it has no ref of its own.
     *
     * @param dependencyClosure the stamped schema of every vibe the root references, directly or transitively
     * @throws IllegalArgumentException   when a schema is not stamped or references a vibe the map lacks
     * @throws SchemaResolutionException when a root {@code $defs} entry has a dependency's key
     */
    public JsonNode bundled(JsonNode rootStampedSchema, Map<VibeRef, JsonNode> dependencyClosure) {
        JsonNode root = rootStampedSchema.deepCopy();
        rewriteReferences(root, null, dependencyClosure);
        if (!(root instanceof ObjectNode rootObject)) {
            if (dependencyClosure.isEmpty()) return root;
            throw new SchemaResolutionException("a root schema that is not an object cannot hold $defs for its "
                    + dependencyClosure.size() + " dependencies");
        }
        ObjectNode bundle = JsonNodeFactory.instance.objectNode();
        if (!rootObject.has(SCHEMA)) bundle.put(SCHEMA, DRAFT_2020_12);
        bundle.setAll(rootObject);
        if (dependencyClosure.isEmpty()) return bundle;

        ObjectNode defs = defsOf(bundle);
        dependencyClosure.forEach((dependency, schema) -> {
            String key = dependency.toString();
            if (defs.has(key)) {
                throw new SchemaResolutionException("the root schema's " + DEFS + " already has an entry '" + key
                        + "', which the bundle needs for the dependency " + dependency);
            }
            defs.set(key, asDefinition(key, schema, dependencyClosure));
        });
        return bundle;
    }

    private static ObjectNode defsOf(ObjectNode bundle) {
        JsonNode defs = bundle.get(DEFS);
        if (defs == null) return bundle.putObject(DEFS);
        if (defs instanceof ObjectNode object) return object;
        throw new SchemaResolutionException("the root schema's " + DEFS + " is " + defs.getNodeType()
                + ", not an object, so dependencies cannot be added to it");
    }

    /** A dependency's schema as it sits at {@code #/$defs/<esc key>} of the bundle. */
    private static JsonNode asDefinition(String key, JsonNode schema, Map<VibeRef, JsonNode> dependencyClosure) {
        JsonNode definition = schema.deepCopy();
        if (definition instanceof ObjectNode object) object.remove(List.of(SCHEMA, ID));
        rewriteReferences(definition, "#/" + DEFS + "/" + Violation.escape(key), dependencyClosure);
        return definition;
    }

    /**
     * Rewrites, in place, every aug reference of {@code schema} to the bundle's {@code $defs} entry of
     * its ref and, unless {@code placement} is null, every local ref {@code #X} to {@code placement + X}.
     */
    private static void rewriteReferences(JsonNode schema, String placement, Map<VibeRef, JsonNode> dependencyClosure) {
        SchemaTree.forEachObject(schema, (pointer, object, augReference) -> {
            if (augReference) {
                VibeRef ref = SchemaTree.resolvedRef(object, pointer);
                if (!dependencyClosure.containsKey(ref)) {
                    throw new IllegalArgumentException("the dependency closure lacks " + ref
                            + ", referenced at '" + pointer + "'");
                }
                object.put(REF, "#/" + DEFS + "/" + Violation.escape(ref.toString()));
                object.remove(REF_ORIGINAL);
            } else if (placement != null) {
                String localRef = SchemaTree.localRef(object);
                if (localRef != null) object.put(REF, placement + localRef.substring(1));
            }
        });
    }

    /**
     * The root's schema with every reference replaced by the schema it names. Its size in bytes is computed
     * first, without building it, so a view past {@link Limits#maxInlinedBytes} costs time linear in the closure.
     *
     * @throws SchemaTooLargeException past any of the {@link Limits}
     */
    public JsonNode inlined(SchemaClosure closure) {
        long bytes = inlinedBytes(closure);
        if (bytes > limits.maxInlinedBytes()) throw SchemaTooLargeException.tooManyBytes(bytes, limits.maxInlinedBytes());
        return new Inliner(closure, limits).inline();
    }

    /**
     * The exact size of {@link #inlined}'s document as compact UTF-8 JSON (as an HTTP answer carries it), found
     * in time linear in the closure without building the document; {@link Long#MAX_VALUE} when it is larger.
     */
    public static long inlinedBytes(SchemaClosure closure) {
        return InlinedSize.of(closure);
    }

    /**
     * An upper bound of the number of nodes {@link #inlined} builds for a schema, found without building
     * anything: a schema's own nodes plus, for each aug reference in it, the bound of the schema it names
     * (each schema's bound is computed once, so this takes time linear in the closure even where the
     * inlined view is exponential). Inlining merges a reference with the schema it names, which never
     * yields more nodes than the two have. Counting stops past {@code cap}.
     *
     * @param rootStampedSchema the root's stamped schema (which need not be stored yet)
     * @param dependencyClosure the stamped schema of every vibe the root references, directly or transitively
     * @return the bound, or a number above {@code cap} when it is larger; empty when the references make a cycle
     *         (the inlined view would be endless) or name a vibe the map lacks
     */
    public static OptionalLong inlinedSizeBound(JsonNode rootStampedSchema, Map<VibeRef, JsonNode> dependencyClosure,
                                                long cap) {
        return new InlinedSizeBound(dependencyClosure, cap).of(rootStampedSchema);
    }
}
