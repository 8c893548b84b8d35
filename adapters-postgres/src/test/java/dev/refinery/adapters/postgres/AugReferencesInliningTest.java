package dev.refinery.adapters.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V6 made {@code aug_references} and {@code schema_containers} inlinable (not STRICT), and V10
 * {@code is_aug_reference}: they must answer exactly as V1's STRICT definitions did, which this test recreates under
 * other names from V1's own text, over a generated corpus of schemas (stamped and unstamped references, pinned and
 * floating, nested in objects and arrays, odd member types) and NULL; and the calls must now be inlined into the
 * calling query.
 */
class AugReferencesInliningTest {
    private static final long SEED = 20261122L;
    private static TestDatabase db;

    @BeforeAll
    static void database() throws IOException {
        db = TestDatabase.create();
        String v1;
        try (InputStream in = AugReferencesInliningTest.class.getResourceAsStream(
                "/dev/refinery/adapters/postgres/db/V1__ledger.sql")) {
            assertNotNull(in, "V1__ledger.sql on the class path");
            v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        db.execute(v1Function(v1, "schema_containers").replace("schema_containers", "v1_schema_containers"),
                v1Function(v1, "aug_references").replace("aug_references", "v1_aug_references")
                        .replace("schema_containers(", "v1_schema_containers("),
                v1Function(v1, "is_aug_reference").replace("is_aug_reference", "v1_is_aug_reference"));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    /** The CREATE FUNCTION statement of {@code name} in V1, up to its closing {@code $$;}. */
    private static String v1Function(String v1, String name) {
        Matcher m = Pattern.compile("CREATE FUNCTION " + name + "\\(.*?\\$\\$.*?\\$\\$;", Pattern.DOTALL).matcher(v1);
        assertTrue(m.find(), name + " in V1");
        assertTrue(m.group().contains("STRICT"), "V1's " + name + " is the STRICT one");
        return m.group();
    }

    private static List<String> corpus() {
        Random random = new Random(SEED);
        List<String> corpus = new ArrayList<>(List.of("{}", "[]", "null", "1", "\"aug:/x\"",
                "{\"$ref\": \"aug:/a/b\", \"$refResolved\": \"main@a/b?1\"}",
                "{\"$ref\": \"aug:main@a/b?2\", \"$refOriginal\": \"aug:/a/b\", \"$refResolved\": \"main@a/b?2\"}",
                "{\"$ref\": \"aug:/a/b\"}",
                "{\"$ref\": \"aug:/a/b\", \"$refResolved\": {\"nested\": {\"$ref\": \"aug:/c\"}}}",
                "{\"items\": [{\"$ref\": \"aug:~dev/a\", \"$refResolved\": \"dev@a?3\"}, [[{\"$ref\": \"#/x\"}]]]}"));
        for (int i = 0; i < 500; i++) corpus.add(schema(random, 0));
        return corpus;
    }

    @Test
    void augReferencesAnswerAsV1DidForEverySchemaOfTheCorpus() throws SQLException {
        List<String> corpus = corpus();
        int withReferences = 0;
        try (Connection c = TestDatabase.connect(db.owner());
             PreparedStatement now = c.prepareStatement(
                     "SELECT path::TEXT, resolved, pinned FROM aug_references(?::JSONB) ORDER BY 1, 2, 3");
             PreparedStatement before = c.prepareStatement(
                     "SELECT path::TEXT, resolved, pinned FROM v1_aug_references(?::JSONB) ORDER BY 1, 2, 3")) {
            for (String schema : corpus) {
                List<String> expected = rows(before, schema);
                assertEquals(expected, rows(now, schema), schema);
                if (!expected.isEmpty()) withReferences++;
            }
            assertEquals(rows(before, null), rows(now, null), "NULL");
            assertTrue(rows(now, null).isEmpty());
        }
        assertTrue(withReferences > 100, "the corpus holds references: " + withReferences);
    }

    @Test
    void theCallIsInlinedIntoTheCallingQuery() throws SQLException {
        try (Connection c = TestDatabase.connect(db.owner()); Statement s = c.createStatement();
             ResultSet plan = s.executeQuery("EXPLAIN (VERBOSE) SELECT count(*) FROM aug_references("
                     + "'{\"$ref\": \"aug:/a\", \"$refResolved\": \"main@a?1\"}'::JSONB)")) {
            StringBuilder text = new StringBuilder();
            while (plan.next()) text.append(plan.getString(1)).append('\n');
            // STRICT, it was a "Function Scan on public.aug_references", planned again at every call
            assertFalse(text.toString().contains("Function Scan on public.aug_references"), text.toString());
            assertTrue(text.toString().contains("Recursive Union"), text.toString());
        }
    }

    @Test
    void isAugReferenceAnswersAsV1DidForEveryValueInTheCorpus() throws SQLException {
        int values = 0;
        int references = 0;
        try (Connection c = TestDatabase.connect(db.owner());
             PreparedStatement both = c.prepareStatement("SELECT n.value::TEXT, is_aug_reference(n.value)::TEXT, "
                     + "v1_is_aug_reference(n.value)::TEXT FROM jsonb_path_query(?::JSONB, 'strict $.**') n(value)")) {
            for (String schema : corpus()) {
                both.setString(1, schema);
                try (ResultSet r = both.executeQuery()) {
                    while (r.next()) {
                        assertEquals(r.getString(3), r.getString(2), r.getString(1));
                        values++;
                        if ("true".equals(r.getString(2))) references++;
                    }
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT is_aug_reference(NULL) IS NULL, v1_is_aug_reference(NULL) IS NULL")) {
                assertTrue(r.next());
                assertTrue(r.getBoolean(1), "NULL for NULL, as STRICT gave");
                assertTrue(r.getBoolean(2));
            }
        }
        assertTrue(values > 2000 && references > 100, values + " values, " + references + " references");
    }

    @Test
    void isAugReferenceIsInlinedIntoTheCallingQuery() throws SQLException {
        try (Connection c = TestDatabase.connect(db.owner()); Statement s = c.createStatement();
             ResultSet plan = s.executeQuery(
                     "EXPLAIN (VERBOSE) SELECT is_aug_reference(v.x) FROM jsonb_array_elements('[{}]'::JSONB) v(x)")) {
            StringBuilder text = new StringBuilder();
            while (plan.next()) text.append(plan.getString(1)).append('\n');
            // STRICT, the plan called the function, which ran its body as a query of its own at every call
            assertFalse(text.toString().contains("is_aug_reference("), text.toString());
            assertTrue(text.toString().contains("jsonb_typeof"), text.toString());
        }
    }

    private static List<String> rows(PreparedStatement query, String schema) throws SQLException {
        query.setString(1, schema);
        List<String> rows = new ArrayList<>();
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) rows.add(r.getString(1) + " | " + r.getString(2) + " | " + r.getString(3));
        }
        return rows;
    }

    private static final String[] URIS = {"aug:/a", "aug:/a/b", "aug:main@a?1", "aug:~dev/a", "aug:dev@a/b",
            "aug:/a?2", "aug:/bad id", "aug:", "#/defs/x", "https://example.org/s", "aug:main@a"};

    /** A random schema-like document: objects, arrays, aug reference objects (stamped or not), plain values. */
    private static String schema(Random random, int depth) {
        int pick = depth > 4 ? 6 + random.nextInt(3) : random.nextInt(9);
        return switch (pick) {
            case 0, 1, 2 -> {
                StringBuilder o = new StringBuilder("{");
                int members = random.nextInt(4);
                for (int i = 0; i < members; i++) {
                    if (i > 0) o.append(", ");
                    String[] keys = {"properties", "items", "allOf", "a", "b", "$ref", "$defs"};
                    o.append('"').append(keys[random.nextInt(keys.length)]).append(i).append("\": ")
                            .append(schema(random, depth + 1));
                }
                yield o.append('}').toString();
            }
            case 3 -> {
                StringBuilder a = new StringBuilder("[");
                int items = random.nextInt(4);
                for (int i = 0; i < items; i++) a.append(i > 0 ? ", " : "").append(schema(random, depth + 1));
                yield a.append(']').toString();
            }
            case 4, 5 -> {
                StringBuilder ref = new StringBuilder("{\"$ref\": \"").append(URIS[random.nextInt(URIS.length)]).append('"');
                if (random.nextBoolean()) ref.append(", \"$refResolved\": \"main@r").append(random.nextInt(5))
                        .append('?').append(1 + random.nextInt(3)).append('"');
                if (random.nextInt(3) == 0) ref.append(", \"$refOriginal\": \"aug:/r\"");
                if (random.nextInt(4) == 0) ref.append(", \"$refResolved\": ").append(schema(random, depth + 1));
                if (random.nextInt(4) == 0) ref.append(", \"sibling\": ").append(schema(random, depth + 1));
                yield ref.append('}').toString();
            }
            case 6 -> "\"text\"";
            case 7 -> Integer.toString(random.nextInt(100));
            default -> random.nextBoolean() ? "true" : "null";
        };
    }
}
