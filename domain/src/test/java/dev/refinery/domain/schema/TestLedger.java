package dev.refinery.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeRef;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A few stored vibes and their stamped schemas, seen from a write on {@code main}. Branches are
 * independent here (no lineage): enough to resolve references, which is all stamping asks of a ledger.
 */
final class TestLedger implements ReferenceLookup {
    private static final BranchName CONTEXT = BranchName.MAIN;

    private final Map<VibeRef, JsonNode> schemas = new LinkedHashMap<>();
    private int loads;

    /** Stores vibes whose schema is {@code {}}. */
    TestLedger with(String... refs) {
        for (String ref : refs) schemas.put(VibeRef.parse(ref), TestSchemas.json("{}"));
        return this;
    }

    /** Stamps {@code schema} against what is stored so far and stores it as {@code ref}. */
    TestLedger write(String ref, JsonNode schema) {
        StampResult result = SchemaStamper.stamp(schema, this);
        if (!(result instanceof StampResult.Stamped stamped)) {
            throw new IllegalStateException("test schema of " + ref + " does not stamp: " + result);
        }
        schemas.put(VibeRef.parse(ref), stamped.schema());
        return this;
    }

    @Override
    public Optional<VibeRef> resolve(AugUri uri) {
        BranchName branch = uri.branchIn(CONTEXT);
        return schemas.keySet().stream()
                .filter(ref -> ref.branch().equals(branch) && ref.id().equals(uri.id()))
                .filter(ref -> uri.revision().map(ref.revision()::equals).orElse(true))
                .max(Comparator.comparing(VibeRef::revision));
    }

    @Override
    public boolean exists(VibeRef ref) {
        return schemas.containsKey(ref);
    }

    Optional<JsonNode> load(VibeRef ref) {
        loads++;
        return Optional.ofNullable(schemas.get(ref));
    }

    int loads() {
        return loads;
    }

    JsonNode schema(String ref) {
        return schemas.get(VibeRef.parse(ref));
    }

    SchemaClosure closure(String root) {
        return SchemaClosure.collect(VibeRef.parse(root), this::load).orElseThrow();
    }
}
