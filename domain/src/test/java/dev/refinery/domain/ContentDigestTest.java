package dev.refinery.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ContentDigestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final VibeId USER = VibeId.parse("schemas/user");
    private static final JsonNode EMPTY = JsonNodeFactory.instance.objectNode();

    @Test
    void digestIsSha256OfTheHandWrittenCanonicalContent() throws Exception {
        // given
        JsonNode context = json("{ \"b\": 1, \"a\": [true, null] }");
        JsonNode schema = json("{\"type\": \"object\"}");
        JsonNode solution = json("{\"score\": 1.50, \"name\": \"Zo\u00eb\"}");
        String canonical = "{\"context\":{\"a\":[true,null],\"b\":1},\"id\":\"schemas/user\",\"kind\":\"RECORD\","
                + "\"prototypeRef\":null,\"schema\":{\"type\":\"object\"},\"solution\":{\"name\":\"Zo\u00eb\",\"score\":1.5}}";
        // when
        Digest digest = ContentDigest.of(Kind.RECORD, USER, context, schema, solution, Optional.empty());
        // then
        assertEquals(sha256(canonical), digest);
    }

    @Test
    void prototypeRefIsDigestedAsItsCanonicalText() throws Exception {
        // given
        VibeRef prototype = VibeRef.parse("dev/x@protos/user?2");
        String canonical = "{\"context\":{},\"id\":\"schemas/user\",\"kind\":\"ROLE\","
                + "\"prototypeRef\":\"dev/x@protos/user?2\",\"schema\":true,\"solution\":null}";
        // when
        Digest digest = ContentDigest.of(Kind.ROLE, USER, EMPTY, json("true"), json("null"), Optional.of(prototype));
        // then
        assertEquals(sha256(canonical), digest);
    }

    @Test
    void sameDigestIsComputedEveryTime() throws Exception {
        JsonNode solution = json("{\"a\": [1, 2, {\"b\": \"c\"}]}");
        assertEquals(ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, solution, Optional.empty()),
                ContentDigest.of(Kind.RECORD, USER, EMPTY.deepCopy(), EMPTY.deepCopy(), solution.deepCopy(),
                        Optional.empty()));
    }

    @Test
    void keyOrderAndWhitespaceDoNotChangeTheDigest() throws Exception {
        // given
        JsonNode compact = json("{\"a\":1,\"b\":{\"c\":[1,2],\"d\":\"x\"}}");
        JsonNode reordered = json("{\n  \"b\" : { \"d\" : \"x\", \"c\" : [ 1 , 2 ] },\n  \"a\" : 1\n}");
        // then
        assertEquals(digestOfSolution(compact), digestOfSolution(reordered));
        assertEquals(digestOfContext(compact), digestOfContext(reordered));
    }

    @Test
    void arrayOrderChangesTheDigest() throws Exception {
        assertNotEquals(digestOfSolution(json("[1,2]")), digestOfSolution(json("[2,1]")));
    }

    @Test
    void numbersCanonicalizeAsEcmaScriptDoubles() {
        // RFC 8785 §3.2.2.3: a number is serialized as ECMAScript's Number.prototype.toString does
        Digest one = digestOfSolution(IntNode.valueOf(1));
        assertEquals(one, digestOfSolution(DoubleNode.valueOf(1.0)));
        assertEquals(one, digestOfSolution(LongNode.valueOf(1)));
        assertEquals(one, digestOfSolution(DecimalNode.valueOf(new BigDecimal("1.000"))));
        assertEquals(one, digestOfSolution(DecimalNode.valueOf(new BigDecimal("1E+0"))));
        assertNotEquals(one, digestOfSolution(JsonNodeFactory.instance.textNode("1")));
    }

    @Test
    void negativeZeroIsZero() {
        assertEquals(digestOfSolution(IntNode.valueOf(0)), digestOfSolution(DoubleNode.valueOf(-0.0)));
    }

    @Test
    void integersBeyondDoublePrecisionCanonicalizeToTheNearestDouble() throws Exception {
        // RFC 8785 treats every number as an IEEE 754 double: 2^53 + 1 cannot be told from 2^53
        assertEquals("9007199254740992", ContentDigest.canonical(json("9007199254740993")));
        assertEquals(digestOfSolution(json("9007199254740992")), digestOfSolution(json("9007199254740993")));
    }

    @Test
    void canonicalFormMatchesTheRfc8785Example() throws Exception {
        // given: RFC 8785 §3.2.2
        JsonNode input = json("""
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""");
        // then
        assertEquals("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", ContentDigest.canonical(input));
    }

    @Test
    void keysSortByUtf16CodeUnitsAsInTheRfc8785Example() throws Exception {
        // given: RFC 8785 §3.2.3; the emoji (a surrogate pair) sorts before U+FB33
        JsonNode input = json("""
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""");
        // then
        assertEquals("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\uD83D\uDE00\":\"Emoji: Grinning Face\",\"\uFB33\":\"Hebrew Letter Dalet With Dagesh\"}",
                ContentDigest.canonical(input));
    }

    @Test
    void scalarsHaveACanonicalFormToo() throws Exception {
        assertEquals("1", ContentDigest.canonical(json("1.0")));
        assertEquals("100", ContentDigest.canonical(json("1e2")));
        assertEquals("1e+21", ContentDigest.canonical(json("1e21")));
        assertEquals("1e-7", ContentDigest.canonical(json("0.0000001")));
        assertEquals("\"a/\\u001f\"", ContentDigest.canonical(json("\"a\\/\\u001F\"")));
        assertEquals("null", ContentDigest.canonical(json("null")));
        assertEquals("true", ContentDigest.canonical(json("true")));
    }

    @Test
    void onlyControlCharactersQuotesAndBackslashesAreEscaped() throws Exception {
        // RFC 8785 §3.2.2.2: everything else, DEL and U+2028 included, is written as itself
        assertEquals("[\"\\b\\t\\n\\f\\r\\u0000\u007f\u2028\u00e9\\\"\\\\\"]",
                ContentDigest.canonical(json("[\"\\b\\t\\n\\f\\r\\u0000\\u007f\\u2028\\u00e9\\\"\\\\\"]")));
    }

    @Test
    void differentKindChangesTheDigest() {
        assertNotEquals(ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, EMPTY, Optional.empty()),
                ContentDigest.of(Kind.CAPABILITY, USER, EMPTY, EMPTY, EMPTY, Optional.empty()));
    }

    @Test
    void differentIdChangesTheDigest() {
        assertNotEquals(ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, EMPTY, Optional.empty()),
                ContentDigest.of(Kind.RECORD, VibeId.parse("schemas/users"), EMPTY, EMPTY, EMPTY, Optional.empty()));
    }

    @Test
    void presentAbsentAndDifferentPrototypeRefsChangeTheDigest() {
        Digest none = ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, EMPTY, Optional.empty());
        Digest first = ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, EMPTY,
                Optional.of(VibeRef.parse("main@protos/user?1")));
        Digest second = ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, EMPTY,
                Optional.of(VibeRef.parse("main@protos/user?2")));
        Digest otherBranch = ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, EMPTY,
                Optional.of(VibeRef.parse("dev@protos/user?1")));
        assertNotEquals(none, first);
        assertNotEquals(first, second);
        assertNotEquals(first, otherBranch);
    }

    @Test
    void theSameValueInADifferentFieldChangesTheDigest() throws Exception {
        JsonNode value = json("{\"a\":1}");
        Digest asContext = ContentDigest.of(Kind.RECORD, USER, value, EMPTY, EMPTY, Optional.empty());
        Digest asSchema = ContentDigest.of(Kind.RECORD, USER, EMPTY, value, EMPTY, Optional.empty());
        Digest asSolution = ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, value, Optional.empty());
        assertNotEquals(asContext, asSchema);
        assertNotEquals(asSchema, asSolution);
        assertNotEquals(asContext, asSolution);
    }

    @Test
    void digestDoesNotChangeTheInputTrees() throws Exception {
        // given
        JsonNode solution = json("{\"b\":1.0,\"a\":2}");
        JsonNode before = solution.deepCopy();
        // when
        digestOfSolution(solution);
        // then
        assertEquals(before, solution);
        assertEquals("{\"b\":1.0,\"a\":2}", solution.toString());
    }

    private static Digest digestOfSolution(JsonNode solution) {
        return ContentDigest.of(Kind.RECORD, USER, EMPTY, EMPTY, solution, Optional.empty());
    }

    private static Digest digestOfContext(JsonNode context) {
        return ContentDigest.of(Kind.RECORD, USER, context, EMPTY, EMPTY, Optional.empty());
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static Digest sha256(String canonical) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        return new Digest("sha256:" + HexFormat.of().formatHex(hash));
    }
}
