package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaClosure;
import dev.refinery.domain.schema.SchemaReferences;
import dev.refinery.domain.schema.SchemaResolutionException;
import dev.refinery.domain.schema.SchemaResolver;
import dev.refinery.domain.schema.SchemaTooLargeException;
import dev.refinery.domain.schema.SchemaView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code resolve_vibe_schema(ref, mode)} in SQL gives the same JSON as the Java {@link SchemaResolver}
 * for the same stored graphs: chains, diamonds, pinned and floating references, references nested in
 * arrays and in other references, whole-schema references, boolean schemas, local refs, branch names
 * that need pointer escaping; and both refuse the same graphs (caps, a {@code $defs} clash).
 */
class ResolveVibeSchemaParityTest {
    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true);
    private static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);
    private static final BranchName FEATURE = new BranchName("dev/x");
    private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

    private static TestDatabase db;
    private static PostgresVibeLedger ledger;

    @BeforeAll
    static void graphs() {
        db = TestDatabase.create();
        ledger = PostgresVibeLedger.create(db.application().withPoolSize(2));
        ledger.inTransaction(tx -> tx.insertBranch(new Branch(FEATURE, Optional.of(BranchName.MAIN), tx.lastRefinementId(),
                now(), ROOT)));

        // a chain: team -> person -> name, with local refs, $schema and $id in a dependency
        put("main@s/name?1", "{'$schema': '" + DRAFT + "', '$id': 'https://example.com/name', 'type': 'string', 'minLength': 1}");
        put("main@s/person?1", """
                {'type': 'object',
                 'properties': {'name': {'$ref': 'aug:/s/name', '$refResolved': 'main@s/name?1', 'description': 'the name'},
                                'nick': {'$ref': '#/$defs/nick'},
                                'self': {'$ref': '#'},
                                'tag': {'$ref': '#tag'}},
                 '$defs': {'nick': {'type': 'string', 'maxLength': 20}, 'tag': {'$anchor': 'tag', 'type': 'string'}}}""");
        put("main@s/team?1", """
                {'type': 'object',
                 'properties': {'lead': {'$refOriginal': 'aug:/s/person?1', '$refResolved': 'main@s/person?1'},
                                'members': {'type': 'array',
                                            'items': {'$ref': 'aug:/s/person?1', '$refResolved': 'main@s/person?1'}}}}""");
        put("main@s/org?1", """
                {'$id': 'https://example.com/org', '$ref': '#/$defs/base', '$defs': {'base': {'type': 'object'}},
                 'allOf': [{'$ref': 'aug:main@s/team', '$refResolved': 'main@s/team?1'}, {'required': ['teams']}],
                 'properties': {'names': {'type': 'array', 'prefixItems': [
                     {'$ref': 'aug:/s/name', '$refResolved': 'main@s/name?1'}, {'const': 1.5}, true, null]}}}""");

        // a diamond: top -> left, right -> bottom (floating on the left, pinned on the right)
        put("main@d/bottom?1", "{'type': 'integer', '$defs': {'pos': {'minimum': 0}}, 'allOf': [{'$ref': '#/$defs/pos'}]}");
        put("main@d/left?1", "{'properties': {'l': {'$ref': 'aug:/d/bottom', '$refResolved': 'main@d/bottom?1'}}}");
        put("main@d/right?1", "{'properties': {'r': {'$refOriginal': 'aug:/d/bottom?1', '$ref': 'aug:/d/bottom', "
                + "'$refResolved': 'main@d/bottom?1'}}}");
        put("main@d/top?1", "{'anyOf': [{'$ref': 'aug:/d/left', '$refResolved': 'main@d/left?1'}, "
                + "{'$ref': 'aug:/d/right', '$refResolved': 'main@d/right?1', 'title': 'right'}]}");

        // whole-schema references, boolean schemas, a branch with a '/' in it, references inside references
        put("dev/x@b/yes?1", "true");
        put("dev/x@b/no?1", "false");
        put("main@b/alias?1", "{'$ref': 'aug:dev/x@b/no', '$refResolved': 'dev/x@b/no?1', 'description': 'never'}");
        put("main@b/root?1", """
                {'properties': {
                    'a': {'$ref': 'aug:/b/alias', '$refResolved': 'main@b/alias?1', 'title': 'A',
                          'properties': {'inner': {'$ref': 'aug:dev/x@b/yes?1', '$refResolved': 'dev/x@b/yes?1'}}},
                    'b': {'$refResolved': 'main@b/alias?1'},
                    'c': {'$ref': 'https://example.com/other.json'}}}""");

        // a root $defs entry that clashes with a dependency's key
        put("main@c/dep?1", "{'type': 'string'}");
        put("main@c/root?1", "{'$defs': {'main@c/dep?1': {}}, 'properties': {'x': {'$ref': 'aug:/c/dep', "
                + "'$refResolved': 'main@c/dep?1'}}}");

        // a deep diamond: level k uses level k-1 twice, so the inlined view doubles at every level
        put("main@deep/l0?1", "{'type': 'string'}");
        for (int k = 1; k <= 14; k++) {
            String below = "main@deep/l" + (k - 1) + "?1";
            put("main@deep/l" + k + "?1", "{'properties': {'a': {'$refResolved': '" + below + "'}, "
                    + "'b': {'$ref': 'aug:/deep/l" + (k - 1) + "', '$refResolved': '" + below + "'}}}");
        }

        // a long chain, each link nested two levels down
        put("main@chain/c0?1", "{'type': 'boolean', '$defs': {'x': {}}, 'not': {'$ref': '#/$defs/x'}}");
        for (int k = 1; k <= 70; k++) {
            put("main@chain/c" + k + "?1", "{'properties': {'next': {'$ref': 'aug:/chain/c" + (k - 1)
                    + "', '$refResolved': 'main@chain/c" + (k - 1) + "?1'}}}");
        }
        putDeeplyNestedChain();
    }

    /**
     * 64 links (the depth cap), each nesting its reference 30 objects down: an inlined view about 1,900 levels deep, past the stack of
     * every PostgreSQL build the tests run on (Debian's refuses at ~650 levels, zonky's embedded one later).
     */
    private static void putDeeplyNestedChain() {
        put("main@nest/n0?1", "{'type': 'string'}");
        for (int k = 1; k <= 64; k++) {
            String inner = "{'$ref': 'aug:/nest/n" + (k - 1) + "', '$refResolved': 'main@nest/n" + (k - 1) + "?1'}";
            for (int level = 0; level < 30; level++) inner = "{'a': " + inner + "}";
            put("main@nest/n" + k + "?1", inner);
        }
    }

    @AfterAll
    static void drop() {
        ledger.close();
        db.close();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static void put(String refText, String schemaText) {
        VibeRef ref = VibeRef.parse(refText);
        JsonNode schema = json(schemaText);
        JsonNode empty = json("{}");
        ledger.inTransaction(tx -> {
            long id = tx.nextRefinementId();
            Instant at = now();
            Vibe vibe = new Vibe(ref, Kind.RECORD, List.of(ref.branch()), ROOT, Optional.empty(), id, empty, schema, empty,
                    SchemaReferences.of(schema), ContentDigest.of(Kind.RECORD, ref.id(), empty, schema, empty,
                    Optional.empty()), at);
            tx.append(new Refinement(id, ref.branch(), ROOT, RefinementKind.REFINE, List.of(), List.of(), List.of(),
                    List.of(ref), "parity", Optional.empty(), Optional.empty(), at), List.of(vibe), List.of());
            return null;
        });
    }

    private static JsonNode java(String ref, SchemaView view, SchemaResolver resolver) {
        SchemaClosure closure = ledger.read(tx -> tx.closure(VibeRef.parse(ref))).orElseThrow();
        return resolver.view(view, closure);
    }

    private static JsonNode sql(String ref, String mode, int maxNodes, int maxDepth) throws SQLException {
        try (Connection c = TestDatabase.connect(db.application());
             PreparedStatement p = c.prepareStatement("SELECT resolve_vibe_schema(?, ?, ?, ?)::text")) {
            p.setString(1, ref);
            p.setString(2, mode);
            p.setInt(3, maxNodes);
            p.setInt(4, maxDepth);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                String text = rs.getString(1);
                return text == null ? null : json(text);
            }
        }
    }

    private static void assertSame(String ref, SchemaView view, int maxNodes, int maxDepth) throws SQLException {
        JsonNode expected = java(ref, view, new SchemaResolver(new SchemaResolver.Limits(maxNodes, maxDepth)));
        assertEquals(expected, sql(ref, view.text(), maxNodes, maxDepth), () -> view.text() + " view of " + ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"main@s/name?1", "main@s/person?1", "main@s/team?1", "main@s/org?1", "main@d/bottom?1",
            "main@d/top?1", "dev/x@b/no?1", "main@b/alias?1", "main@b/root?1", "main@deep/l6?1", "main@chain/c60?1"})
    void everyViewIsTheSameInSqlAndInJava(String ref) throws SQLException {
        for (SchemaView view : SchemaView.values()) {
            assertSame(ref, view, 100_000, 64);
        }
    }

    @Test
    void aReferenceIsReplacedByTheSchemaItNamesWithItsLocalRefsMoved() throws SQLException {
        assertEquals(json("""
                {'properties': {'l': {'type': 'integer', '$defs': {'pos': {'minimum': 0}},
                                      'allOf': [{'$ref': '#/properties/l/$defs/pos'}],
                                      '$refResolved': 'main@d/bottom?1'}}}"""), sql("main@d/left?1", "inlined", 100, 64));
        assertEquals(json("""
                {'$schema': '%s',
                 'properties': {'l': {'$ref': '#/$defs/main@d~1bottom?1', '$refResolved': 'main@d/bottom?1'}},
                 '$defs': {'main@d/bottom?1': {'type': 'integer', '$defs': {'pos': {'minimum': 0}},
                                               'allOf': [{'$ref': '#/$defs/main@d~1bottom?1/$defs/pos'}]}}}"""
                .formatted(DRAFT)), sql("main@d/left?1", "bundled", 100, 64));
    }

    @Test
    void theDefaultViewIsInlinedWithTheDefaultCaps() throws SQLException {
        try (Connection c = TestDatabase.connect(db.application());
             PreparedStatement p = c.prepareStatement("SELECT resolve_vibe_schema('main@d/top?1')::text")) {
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertEquals(java("main@d/top?1", SchemaView.INLINED, new SchemaResolver()), json(rs.getString(1)));
            }
        }
    }

    @Test
    void aDiamondPastTheNodeCapIsTooLargeInBoth() throws SQLException {
        assertSame("main@deep/l14?1", SchemaView.BUNDLED, 2_000, 64);
        assertThrows(SchemaTooLargeException.class,
                () -> java("main@deep/l14?1", SchemaView.INLINED, new SchemaResolver(new SchemaResolver.Limits(2_000, 64))));
        SQLException refused = assertThrows(SQLException.class, () -> sql("main@deep/l14?1", "inlined", 2_000, 64));
        assertEquals("54000", refused.getSQLState());
    }

    @Test
    void exactlyAtTheNodeCapIsStillAllowedInBoth() throws SQLException {
        int size = countNodes(java("main@deep/l6?1", SchemaView.INLINED, new SchemaResolver()));
        assertSame("main@deep/l6?1", SchemaView.INLINED, size, 64);
        assertThrows(SQLException.class, () -> sql("main@deep/l6?1", "inlined", size - 1, 64));
        assertThrows(SchemaTooLargeException.class, () -> java("main@deep/l6?1", SchemaView.INLINED,
                new SchemaResolver(new SchemaResolver.Limits(size - 1, 64))));
    }

    @Test
    void aChainPastTheDepthCapIsTooLargeInBoth() throws SQLException {
        assertSame("main@chain/c64?1", SchemaView.INLINED, 100_000, 64);
        assertThrows(SchemaTooLargeException.class,
                () -> java("main@chain/c65?1", SchemaView.INLINED, new SchemaResolver()));
        SQLException refused = assertThrows(SQLException.class, () -> sql("main@chain/c65?1", "inlined", 100_000, 64));
        assertEquals("54000", refused.getSQLState());
        assertSame("main@chain/c70?1", SchemaView.BUNDLED, 100_000, 64);
    }

    @Test
    void anInlinedViewDeeperThanTheServersStackIsTooLargeNeverACrash() throws SQLException {
        assertSame("main@nest/n12?1", SchemaView.INLINED, 100_000, 64);
        // Java builds it iteratively; the SQL function recurses once per level of the result
        java("main@nest/n64?1", SchemaView.INLINED, new SchemaResolver());
        SQLException refused = assertThrows(SQLException.class, () -> sql("main@nest/n64?1", "inlined", 100_000, 64));
        assertEquals("54000", refused.getSQLState());
        assertSame("main@nest/n64?1", SchemaView.BUNDLED, 100_000, 64);
    }

    @Test
    void aRootDefsEntryWithADependencysKeyCannotBeBundledInEither() throws SQLException {
        assertThrows(SchemaResolutionException.class, () -> java("main@c/root?1", SchemaView.BUNDLED, new SchemaResolver()));
        SQLException refused = assertThrows(SQLException.class, () -> sql("main@c/root?1", "bundled", 100_000, 64));
        assertEquals("22000", refused.getSQLState());
        assertSame("main@c/root?1", SchemaView.INLINED, 100_000, 64);
    }

    @Test
    void anUnknownRefHasNoSchemaAndAnUnknownModeIsRefused() throws SQLException {
        assertNull(sql("main@nope?1", "inlined", 100_000, 64));
        SQLException refused = assertThrows(SQLException.class, () -> sql("main@s/name?1", "flattened", 100_000, 64));
        assertEquals("22023", refused.getSQLState());
    }

    private static int countNodes(JsonNode node) {
        int n = 1;
        for (JsonNode child : node) n += countNodes(child);
        return n;
    }
}
