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
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.refinery.domain.Violation;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * JSON Schema 2020-12 validation with networknt. Schemas are standalone (bundled): the validator
 * never fetches anything from the network, so a schema cannot make the server call out.
 */
public final class SchemaValidator {
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    /** 2020-12 plus Refinery's own reference keywords, which annotate and never validate. */
    private static final JsonMetaSchema META = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
            .keyword(new NonValidationKeyword("$refResolved"))
            .keyword(new NonValidationKeyword("$refOriginal"))
            .build();

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(META).schemaLoaders(loaders -> loaders.add(
                    new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(false)
            // Compiling every $ref path up front is exponential on a lattice of references: resolve lazily.
            .preloadJsonSchema(false)
            .build();
    private final JsonSchema metaSchema = factory.getSchema(SchemaLocation.of(META_SCHEMA), config);

    /** Whether {@code schema} is a JSON Schema 2020-12 document; violations point into the schema. */
    public List<Violation> checkSchema(JsonNode schema) {
        if (!schema.isObject() && !schema.isBoolean()) {
            return List.of(new Violation("", "a schema must be a JSON object or a boolean"));
        }
        try {
            return violations(metaSchema.validate(schema));
        } catch (StackOverflowError e) {
            return List.of(endless());
        }
    }

    /** Validates {@code instance} against a standalone schema; violations point into the instance. */
    public List<Violation> validate(JsonNode bundledSchema, JsonNode instance) {
        try {
            JsonSchema schema = factory.getSchema(bundledSchema, config);
            return violations(schema.validate(instance));
        } catch (RuntimeException e) {
            // A schema networknt cannot compile (a $ref to something it may not load, a bad pattern, …).
            return List.of(new Violation("", "the schema cannot be used for validation: " + e.getMessage()));
        } catch (StackOverflowError e) {
            // A reference cycle that consumes no input ({"$ref": "#"}) never ends; the stack unwound, nothing is held.
            return List.of(endless());
        }
    }

    private static Violation endless() {
        return new Violation("", "the schema refers to itself without consuming anything ($ref cycle): "
                + "validating against it never ends");
    }

    private static List<Violation> violations(Set<ValidationMessage> messages) {
        return messages.stream()
                .map(m -> new Violation(m.getInstanceLocation().toString(), m.getMessage()))
                .sorted(Comparator.comparing(Violation::pointer).thenComparing(Violation::message))
                .distinct()
                .toList();
    }
}
