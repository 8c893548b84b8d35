package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.format.RegexFormat;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.refinery.domain.Violation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema 2020-12 validation with networknt. Schemas are standalone (bundled): the validator
 * never fetches anything from the network, so a schema cannot make the server call out.
 *
 * <p>A schema's meta-schema check and its compiled form depend on nothing but its content, and a
 * stored schema never changes, so both are kept by content ({@link SchemaCache}): refines against
 * the same schema neither re-check nor recompile it. Answers that came from an error (a schema that
 * does not compile, a stack that overflowed) are not kept.
 *
 * <p>Regular expressions run on a linear-time engine ({@link LinearTimePatterns}); a pattern it cannot run is
 * refused when the schema is checked, with a pointer to it, so that no stored schema holds one.
 */
public final class SchemaValidator {
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    /** Entries of each cache, whatever their weight. */
    private static final int CACHED_SCHEMAS = 1_024;
    /** The default bound of each cache's estimated memory. */
    public static final long DEFAULT_CACHE_BYTES = 64L * 1024 * 1024;
    /** A compiled schema weighs about this many times its document's tree (a compiled node costs ~1 KB). */
    private static final long COMPILED_FACTOR = 8;

    /** 2020-12 plus Refinery's own reference keywords, which annotate and never validate. */
    private static final JsonMetaSchema META = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
            .keyword(new NonValidationKeyword("$refResolved"))
            .keyword(new NonValidationKeyword("$refOriginal"))
            .build();

    /** The meta-schema check asserts one format only, {@code regex}: the patterns of a schema must be ones we run. */
    private static final JsonMetaSchema META_CHECK = JsonMetaSchema.builder(META)
            .formats(formats -> formats.keySet().retainAll(Set.of("regex")))
            .format(new RegexFormat())
            .build();
    private static final String REGEX_FORMAT = "format.regex";

    private final JsonSchemaFactory factory = factory(META);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(false)
            .regularExpressionFactory(LinearTimePatterns.INSTANCE)
            // Compiling every $ref path up front is exponential on a lattice of references: resolve lazily.
            .preloadJsonSchema(false)
            .build();
    private final JsonSchema metaSchema = factory(META_CHECK).getSchema(SchemaLocation.of(META_SCHEMA),
            SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .formatAssertionsEnabled(true)
                    .regularExpressionFactory(LinearTimePatterns.INSTANCE)
                    .preloadJsonSchema(false)
                    .build());
    private final SchemaCache<List<Violation>> checked;
    private final SchemaCache<JsonSchema> compiled;

    public SchemaValidator() {
        this(DEFAULT_CACHE_BYTES);
    }

    /**
     * @param cacheBytes the bound of the estimated memory of each of the two caches (schemas checked, schemas
     *                   compiled with the patterns they compiled)
     */
    public SchemaValidator(long cacheBytes) {
        checked = new SchemaCache<>(CACHED_SCHEMAS, cacheBytes, 1);
        compiled = new SchemaCache<>(CACHED_SCHEMAS, cacheBytes, COMPILED_FACTOR);
    }

    /** Whether {@code schema} is a JSON Schema 2020-12 document; violations point into the schema. */
    public List<Violation> checkSchema(JsonNode schema) {
        if (!schema.isObject() && !schema.isBoolean()) {
            return List.of(new Violation("", "a schema must be a JSON object or a boolean"));
        }
        try {
            SchemaCache.Key key = SchemaCache.Key.of(schema);
            List<Violation> known = checked.get(key);
            if (known != null) return known;
            LinearTimePatterns.takeCompiled();
            return checked.put(key, s -> schemaViolations(s, metaSchema.validate(s)));
        } catch (StackOverflowError e) {
            return List.of(endless());
        }
    }

    /** Validates {@code instance} against a standalone schema; violations point into the instance. */
    public List<Violation> validate(JsonNode bundledSchema, JsonNode instance) {
        try {
            SchemaCache.Key key = SchemaCache.Key.of(bundledSchema);
            LinearTimePatterns.takeCompiled();
            JsonSchema schema = compiled.get(key);
            if (schema == null) schema = compiled.put(key, s -> factory.getSchema(s, config));
            try {
                List<Violation> violations = violations(schema.validate(instance));
                // the patterns this validation compiled now belong to the cached schema
                compiled.grow(key, LinearTimePatterns.takeCompiled() * LinearTimePatterns.BYTES_PER_INSTRUCTION);
                return violations;
            } catch (PatternRefusedException e) {
                compiled.remove(key);
                return List.of(new Violation("", e.getMessage()));
            } catch (RuntimeException | StackOverflowError e) {
                compiled.remove(key); // the next use compiles afresh, whatever state the failure left behind
                throw e;
            }
        } catch (RuntimeException e) {
            // A schema networknt cannot compile (a $ref to something it may not load, a bad pattern, …).
            return List.of(new Violation("", "the schema cannot be used for validation: " + e.getMessage()));
        } catch (StackOverflowError e) {
            // A reference cycle that consumes no input ({"$ref": "#"}) never ends; the stack unwound, nothing is held.
            return List.of(endless());
        }
    }

    private static JsonSchemaFactory factory(JsonMetaSchema meta) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(meta).schemaLoaders(loaders -> loaders.add(
                        new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
    }

    /** The meta-schema's answer, with each pattern it refused explained by the engine's reason. */
    private static List<Violation> schemaViolations(JsonNode schema, Set<ValidationMessage> messages) {
        List<Violation> out = new ArrayList<>();
        for (ValidationMessage m : messages) {
            String pointer = m.getInstanceLocation().toString();
            if (!REGEX_FORMAT.equals(m.getMessageKey())) {
                out.add(new Violation(pointer, m.getMessage()));
                continue;
            }
            JsonNode refused = schema.at(pointer);
            if (refused.isTextual()) {
                String why = reason(refused.textValue());
                out.add(new Violation(pointer, why == null ? m.getMessage() : why));
            } else {
                // patternProperties: its property names are the patterns
                for (Map.Entry<String, JsonNode> member : refused.properties()) {
                    String why = reason(member.getKey());
                    if (why != null) out.add(new Violation(pointer, why));
                }
            }
        }
        return sorted(out);
    }

    /** Why the engine refuses {@code pattern}, or null when it does not. */
    private static String reason(String pattern) {
        try {
            LinearTimePatterns.compile(pattern);
            return null;
        } catch (PatternRefusedException e) {
            return e.getMessage();
        }
    }

    private static List<Violation> sorted(List<Violation> violations) {
        return violations.stream()
                .sorted(Comparator.comparing(Violation::pointer).thenComparing(Violation::message))
                .distinct()
                .toList();
    }

    private static Violation endless() {
        return new Violation("", "the schema refers to itself without consuming anything ($ref cycle): "
                + "validating against it never ends");
    }

    private static List<Violation> violations(Set<ValidationMessage> messages) {
        return sorted(messages.stream().map(m -> new Violation(m.getInstanceLocation().toString(), m.getMessage())).toList());
    }
}
