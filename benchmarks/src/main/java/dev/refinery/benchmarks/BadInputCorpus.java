package dev.refinery.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A corpus of malformed and hostile requests, the same for the same seed: broken JSON, huge and deep
 * bodies, bad refs and aug URIs, injection strings in every field, query parameter and path, wrong
 * JSON types, unauthorised calls, malformed HTTP, and schemas that try to make the server call out or
 * backtrack forever. Some requests are valid enough to write (an injection string is a fine message):
 * the checker accounts for those through their answers.
 */
final class BadInputCorpus {

    /** One request: by field, or raw bytes sent as they are on a connection of their own. */
    record Case(String category, String method, String target, Map<String, String> headers, byte[] body, byte[] raw) {
        static Case http(String category, String method, String target, Map<String, String> headers, String body) {
            return new Case(category, method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8), null);
        }

        static Case bytes(String category, String method, String target, Map<String, String> headers, byte[] body) {
            return new Case(category, method, target, headers, body, null);
        }

        static Case raw(String category, String request) {
            return new Case(category, "RAW", "", Map.of(), null, request.getBytes(StandardCharsets.ISO_8859_1));
        }

        String describe() {
            if (raw != null) return "RAW " + Load.abbreviate(new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "⏎"));
            return method + " " + Load.abbreviate(target) + (body == null ? "" : " body[" + body.length + "] "
                    + Load.abbreviate(new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8)));
        }
    }

    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1", "'; DROP TABLE vibes; --", "\"; DROP TABLE refinements; --", "1; SELECT pg_sleep(30)",
            "main'); DELETE FROM vibes; --", "$$; DROP TABLE vibes; $$", "\\x00", "%00", "\u0000", "a\u0000b",
            "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/", "//", "..", ".", "~", "main@", "@", "?", "#", "%",
            "%25", "%zz", "\r\nX-Injected: 1", "a\nb", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1:1/a}",
            "{{7*7}}", "%s%s%s%n", "\u202e\u0644\u0627", "\ud83d\ude00", "\uffff", "\ufeff", "NaN", "-1",
            "99999999999999999999999", "0x7fffffff", "null", "true", "[]", "{}", " ", "\t", "aug:/x", "aug:",
            "main@roles/root?1", "main@roles/root?1' --", "roles/root", "main", "dev/../main", "main/", "MAIN",
            "x".repeat(300), "é".repeat(200), "a/".repeat(130) + "a");

    private static final List<String> GET_PATHS = List.of(
            "/v1/vibes/", "/v1/history/", "/v1/schemas/", "/v1/dependencies/", "/v1/dependents/", "/v1/impact/",
            "/v1/provenance/", "/v1/refinements/", "/v1/branches/");

    private static final List<String> QUERY_PARAMS = List.of("branch", "revision", "asOf", "mode", "transitive", "limit",
            "cursor", "prefix", "kind", "author", "uri", "from", "to");

    private static final List<String> REFINE_FIELDS = List.of("branch", "message", "idempotencyKey", "targets",
            "instructions", "budgets", "dryRun", "vibes");
    private static final List<String> VIBE_FIELDS = List.of("id", "kind", "base", "prototype", "context", "schema",
            "solution");

    private final SplittableRandom random;
    private final String token;
    private final String readOnlyToken;
    private final String knownId;
    private final int callbackPort;
    private final long maxBody;
    private final int maxDepth;

    BadInputCorpus(long seed, String token, String readOnlyToken, String knownId, int callbackPort, long maxBody,
                   int maxDepth) {
        this.random = new SplittableRandom(seed);
        this.token = token;
        this.readOnlyToken = readOnlyToken;
        this.knownId = knownId;
        this.callbackPort = callbackPort;
        this.maxBody = maxBody;
        this.maxDepth = maxDepth;
    }

    /** {@code size} cases, in a deterministic mix of the categories. */
    List<Case> generate(int size) {
        List<Case> cases = new ArrayList<>(size);
        // the rare, expensive kinds first, a fixed share each; then the cheap ones at random
        int huge = Math.max(2, size / 200);
        for (int i = 0; i < huge; i++) cases.add(huge(i));
        for (int i = 0; i < Math.max(3, size / 500); i++) cases.add(callOut(i));
        for (int i = 0; i < Math.max(2, size / 1000); i++) cases.add(backtracking(i));
        for (int i = 0; i < Math.max(3, size / 1000); i++) cases.add(selfReference(i));
        while (cases.size() < size) {
            int kind = random.nextInt(100);
            cases.add(kind < 18 ? brokenJson()
                    : kind < 26 ? deep()
                    : kind < 40 ? badRefs()
                    : kind < 62 ? injection()
                    : kind < 76 ? wrongTypes()
                    : kind < 86 ? unauthorised()
                    : kind < 94 ? malformedHttp()
                    : bigButAllowed());
        }
        return cases;
    }

    private Map<String, String> auth() {
        return auth(token);
    }

    private static Map<String, String> auth(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private Map<String, String> json() {
        Map<String, String> h = new LinkedHashMap<>(auth());
        h.put("Content-Type", "application/json");
        return h;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String validRefine() {
        return "{\"branch\":\"main\",\"message\":\"corpus\",\"vibes\":[{\"id\":\"corpus/" + random.nextInt(1_000_000)
                + "\",\"kind\":\"RECORD\",\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"aug:/"
                + knownId + "\"}}},\"solution\":{\"a\":{\"city\":\"x\"}}}]}";
    }

    // ---- the categories --------------------------------------------------------------------------

    private Case brokenJson() {
        String valid = validRefine();
        byte[] body;
        switch (random.nextInt(9)) {
            case 0 -> body = valid.substring(0, random.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
            case 1 -> {
                byte[] b = valid.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 1 + random.nextInt(5); i++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                body = b;
            }
            case 2 -> body = new byte[]{(byte) 0xC3, (byte) 0x28, '{', '}', (byte) 0xFF, (byte) 0xFE};
            case 3 -> body = pick(List.of("", " ", "\n", "{", "}", "[", "{\"branch\":", "{} {}", "nul", "tru", "{,}",
                    "{\"a\":1,}", "[1,]", "{'branch':'main'}", "{\"branch\":\"main\"/*c*/}", "{\"x\":NaN}",
                    "{\"x\":Infinity}", "{\"x\":01}", "{\"x\":\"\\ud800\"}", "{\"x\":\"\\u12\"}", "{\"x\":\"a\u0001b\"}"))
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> body = (valid + pick(List.of("}", "]", "x", "{}", "\u0000", " garbage"))).getBytes(StandardCharsets.UTF_8);
            case 5 -> body = valid.replace("\"branch\":\"main\"", "\"branch\":\"main\",\"branch\":\"dev\"")
                    .getBytes(StandardCharsets.UTF_8);
            case 6 -> body = valid.getBytes(StandardCharsets.UTF_16);
            case 7 -> {
                byte[] b = new byte[1 + random.nextInt(2000)];
                for (int i = 0; i < b.length; i++) b[i] = (byte) random.nextInt(256);
                body = b;
            }
            default -> body = ("\ufeff" + valid).getBytes(StandardCharsets.UTF_8);
        }
        String target = random.nextInt(5) == 0 ? pick(List.of("/v1/branches", "/v1/merges")) : "/v1/refinements";
        return Case.bytes("broken-json", "POST", target, json(), body);
    }

    private Case deep() {
        int depth = maxDepth + 1 + random.nextInt(random.nextBoolean() ? 10 : 20_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + "1" + close.repeat(depth);
        String field = pick(List.of("context", "schema", "solution"));
        String body = random.nextInt(4) == 0 ? nested
                : "{\"branch\":\"main\",\"vibes\":[{\"id\":\"deep\",\"kind\":\"RECORD\",\"" + field + "\":" + nested + "}]}";
        return Case.http("deep", "POST", pick(List.of("/v1/refinements", "/v1/refinements", "/v1/merges", "/v1/branches")),
                json(), body);
    }

    private Case huge(int i) {
        long size = maxBody + 1 + random.nextLong(maxBody);
        StringBuilder s = new StringBuilder((int) size + 100);
        s.append("{\"branch\":\"main\",\"message\":\"");
        while (s.length() < size) s.append("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        s.append("\",\"vibes\":[{\"id\":\"huge\",\"kind\":\"RECORD\"}]}");
        return Case.http("huge", "POST", i % 3 == 0 ? "/v1/branches" : "/v1/refinements", json(), s.toString());
    }

    /** Large but under the limit: many properties, long strings, the most outputs. */
    private Case bigButAllowed() {
        StringBuilder s = new StringBuilder("{\"branch\":\"main\",\"dryRun\":true,\"vibes\":[");
        switch (random.nextInt(3)) {
            case 0 -> {
                s.append("{\"id\":\"big/props\",\"kind\":\"RECORD\",\"schema\":{\"type\":\"object\",\"properties\":{");
                int n = 1000 + random.nextInt(5000);
                for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{\"type\":\"string\"}");
                s.append("}},\"solution\":{}}");
            }
            case 1 -> s.append("{\"id\":\"big/string\",\"kind\":\"RECORD\",\"solution\":{\"s\":\"")
                    .append("y".repeat((int) (maxBody / 2))).append("\"}}");
            default -> {
                int n = 101 + random.nextInt(50);
                for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ",").append("{\"id\":\"many/").append(i)
                        .append("\",\"kind\":\"RECORD\"}");
            }
        }
        s.append("]}");
        return Case.http("big-under-limit", "POST", "/v1/refinements", json(), s.toString());
    }

    private Case badRefs() {
        List<String> refs = List.of("main@x", "@x?1", "main@x?0", "main@x?-1", "main@x?1.5", "main@x?99999999999999999999",
                "main@?1", "main@/x?1", "main@x/?1", "main@x//y?1", "main@../x?1", "aug:/x", "x", "", " ", "main@x?1?2",
                "main@@x?1", "dev/@x?1", "main@roles/root?2", "nobranch@roles/root?1", "main@x?01", "main@x?1 ",
                "MAIN@roles/root?1", "main@" + "x".repeat(300) + "?1");
        List<String> augs = List.of("aug:", "aug:/", "aug://x", "aug:/../x", "aug:~/x", "aug:~main", "aug:main@x?abc",
                "aug:/x?0", "aug:/x?-1", "aug:/x?", "aug:/x#frag", "aug:/" + knownId + "?999", "aug:~nobranch/x",
                "aug:nobranch@x", "aug:/nothing/here", "AUG:/x", "aug:/x y", "aug:/" + knownId + "?1?1", "aug:x");
        String ref = pick(refs);
        String aug = pick(augs);
        return switch (random.nextInt(9)) {
            case 0 -> refine("bad-refs", "\"targets\":[" + Workload.quote(ref) + "]", vibe("r", ""));
            case 1 -> refine("bad-refs", "\"instructions\":[" + Workload.quote(ref) + "],\"budgets\":[" + Workload.quote(pick(refs)) + "]", vibe("r", ""));
            case 2 -> refine("bad-refs", "", vibe("r", ",\"base\":" + Workload.quote(ref)));
            case 3 -> refine("bad-refs", "", vibe("r", ",\"prototype\":" + Workload.quote(random.nextBoolean() ? ref : aug)));
            case 4 -> refine("bad-refs", "", vibe("r", ",\"schema\":{\"" + pick(List.of("$ref", "$refOriginal", "$refResolved"))
                    + "\":" + Workload.quote(random.nextBoolean() ? aug : ref) + "}"));
            case 5 -> refine("bad-refs", "", vibe("r", ",\"schema\":{\"$ref\":\"aug:/" + knownId + "\",\"$refResolved\":"
                    + pick(List.of("1", "null", "[]", "{}", Workload.quote(ref))) + "}"));
            case 6 -> Case.http("bad-refs", "GET", "/v1/resolve?uri=" + Workload.query(aug) + "&branch=main", auth(), null);
            case 7 -> Case.http("bad-refs", "GET", pick(GET_PATHS) + knownId + "?branch=" + Workload.query(pick(List.of(
                    "main", "nobranch", "main/", "a..b", ""))) + "&revision=" + Workload.query(pick(List.of("1", "0", "-1",
                    "abc", "99999999999", "1.0", ""))), auth(), null);
            default -> Case.http("bad-refs", "POST", "/v1/merges", json(), "{\"source\":" + Workload.quote(pick(List.of(
                    "main", "nobranch", "bench-dev", ref))) + ",\"target\":" + Workload.quote(pick(List.of("main", "bench-dev",
                    "nobranch", ref))) + ",\"resolutions\":{" + Workload.quote(pick(List.of("x", knownId, ref)))
                    + ":" + pick(List.of("\"source\"", "\"target\"", "\"both\"", "1", "null", "{}", "{\"kind\":\"RECORD\"}")) + "}}");
        };
    }

    private Case refine(String category, String extraTop, String vibe) {
        return Case.http(category, "POST", "/v1/refinements", json(),
                "{\"branch\":\"main\"" + (extraTop.isEmpty() ? "" : "," + extraTop) + ",\"vibes\":[" + vibe + "]}");
    }

    private String vibe(String id, String extra) {
        return "{\"id\":\"corpus/" + id + "/" + random.nextInt(1000) + "\",\"kind\":\"RECORD\"" + extra + "}";
    }

    private Case injection() {
        String s = pick(INJECTIONS);
        String q = Workload.quote(s);
        return switch (random.nextInt(6)) {
            case 0 -> {
                // into one top-level field of an otherwise valid refine
                String field = pick(REFINE_FIELDS);
                String value = switch (field) {
                    case "targets", "instructions", "budgets" -> "[" + q + "]";
                    case "vibes" -> "[" + q + "]";
                    case "dryRun" -> q;
                    default -> q;
                };
                Map<String, String> body = new LinkedHashMap<>();
                body.put("branch", "\"main\"");
                body.put("message", "\"corpus\"");
                body.put("vibes", "[{\"id\":\"corpus/inj/" + random.nextInt(1000) + "\",\"kind\":\"RECORD\"}]");
                body.put(field, value);
                yield Case.http("injection", "POST", "/v1/refinements", json(), object(body));
            }
            case 1 -> {
                // into one field of the output
                String field = pick(VIBE_FIELDS);
                Map<String, String> v = new LinkedHashMap<>();
                v.put("id", "\"corpus/inj/" + random.nextInt(1000) + "\"");
                v.put("kind", "\"RECORD\"");
                v.put(field, switch (field) {
                    case "context", "solution" -> "{" + q + ":" + q + "}";
                    case "schema" -> pick(List.of("{\"pattern\":" + q + "}", "{\"$ref\":" + q + "}", "{\"$id\":" + q + "}",
                            "{\"type\":" + q + "}", "{" + q + ":{}}", "{\"$anchor\":" + q + "}"));
                    default -> q;
                });
                yield Case.http("injection", "POST", "/v1/refinements", json(),
                        "{\"branch\":\"main\",\"message\":\"corpus\",\"vibes\":[" + object(v) + "]}");
            }
            case 2 -> {
                // into a path tail
                String path = pick(GET_PATHS) + encodePathLoosely(s);
                yield Case.http("injection", "GET", path, auth(), null);
            }
            case 3 -> {
                // into a query parameter of a read
                String base = pick(List.of("/v1/vibes", "/v1/vibes/" + knownId, "/v1/refinements", "/v1/history/" + knownId,
                        "/v1/schemas/" + knownId, "/v1/impact/" + knownId, "/v1/dependents/" + knownId, "/v1/diff",
                        "/v1/resolve", "/v1/branches"));
                yield Case.http("injection", "GET", base + "?" + pick(QUERY_PARAMS) + "=" + Workload.query(s), auth(), null);
            }
            case 4 -> Case.http("injection", "POST", "/v1/branches", json(), random.nextBoolean()
                    ? "{\"name\":" + q + ",\"from\":\"main\"}" : "{\"name\":\"corpus-" + random.nextInt(1_000_000) + "\",\"from\":" + q + "}");
            default -> {
                // into a header
                Map<String, String> h = new LinkedHashMap<>(auth());
                String header = pick(List.of("Content-Type", "Accept", "If-None-Match", "X-Request-Id", "Cookie"));
                h.put(header, s.replace("\r", "").replace("\n", "").replace("\u0000", ""));
                yield Case.http("injection", random.nextBoolean() ? "GET" : "POST",
                        random.nextBoolean() ? "/v1/vibes/" + knownId : "/v1/refinements", h,
                        random.nextBoolean() ? validRefine() : null);
            }
        };
    }

    /** Keeps what an HTTP request line can carry; escapes the rest as %XX (bytes of UTF-8). */
    private static String encodePathLoosely(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c > 0x20 && c < 0x7f && c != '?' && c != '#' && c != '%') b.append((char) c);
            else b.append('%').append(String.format("%02X", c));
        }
        return b.toString();
    }

    private static String object(Map<String, String> members) {
        StringBuilder s = new StringBuilder("{");
        members.forEach((k, v) -> s.append(s.length() == 1 ? "" : ",").append(Workload.quote(k)).append(':').append(v));
        return s.append('}').toString();
    }

    private Case wrongTypes() {
        List<String> values = List.of("1", "-1.5e308", "true", "null", "[]", "[1,2]", "{}", "{\"a\":1}", "\"s\"", "\"\"",
                "1e999", "123456789012345678901234567890");
        String v = pick(values);
        int where = random.nextInt(4);
        if (where == 0) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("branch", "\"main\"");
            body.put("vibes", "[{\"id\":\"corpus/types\",\"kind\":\"RECORD\"}]");
            body.put(pick(REFINE_FIELDS), v);
            return Case.http("wrong-types", "POST", "/v1/refinements", json(), object(body));
        }
        if (where == 1) {
            Map<String, String> vibe = new LinkedHashMap<>();
            vibe.put("id", "\"corpus/types/" + random.nextInt(1000) + "\"");
            vibe.put("kind", "\"RECORD\"");
            vibe.put(pick(VIBE_FIELDS), v);
            return Case.http("wrong-types", "POST", "/v1/refinements", json(),
                    "{\"branch\":\"main\",\"vibes\":[" + object(vibe) + "]}");
        }
        if (where == 2) {
            return Case.http("wrong-types", "POST", pick(List.of("/v1/branches", "/v1/merges")), json(), pick(List.of(
                    "{\"name\":" + v + ",\"from\":\"main\"}", "{\"name\":\"corpus-t\",\"from\":" + v + "}",
                    "{\"source\":" + v + ",\"target\":\"main\"}", "{\"source\":\"bench-dev\",\"target\":\"main\",\"resolutions\":" + v + "}",
                    "{\"source\":\"bench-dev\",\"target\":\"main\",\"message\":" + v + "}", v)));
        }
        return Case.http("wrong-types", "POST", "/v1/refinements", json(), v);
    }

    private Case unauthorised() {
        String path = random.nextBoolean() ? "/v1/refinements" : pick(GET_PATHS) + knownId;
        String method = path.equals("/v1/refinements") ? (random.nextBoolean() ? "POST" : "GET") : "GET";
        String body = method.equals("POST") ? validRefine() : null;
        Map<String, String> h = new LinkedHashMap<>();
        if (body != null) h.put("Content-Type", "application/json");
        switch (random.nextInt(10)) {
            case 0 -> { /* none */ }
            case 1 -> h.put("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("root:root".getBytes()));
            case 2 -> h.put("Authorization", "Bearer");
            case 3 -> h.put("Authorization", "Bearer " + token.substring(0, token.length() - 1));
            case 4 -> h.put("Authorization", "Bearer " + token + "x");
            case 5 -> h.put("Authorization", "Bearer " + "A".repeat(1 + random.nextInt(8000)));
            case 6 -> h.put("Authorization", "Bearer " + pick(INJECTIONS).replace("\r", "").replace("\n", "").replace("\u0000", ""));
            case 7 -> h.put("Authorization", "bearer  " + token.toUpperCase());
            case 8 -> {
                // a read-only token writing
                h.put("Authorization", "Bearer " + readOnlyToken);
                return Case.http("unauthorised", "POST", pick(List.of("/v1/refinements", "/v1/branches", "/v1/merges")), h,
                        validRefine());
            }
            default -> h.put("Authorization", "Token " + token);
        }
        return Case.http("unauthorised", method, path, h, body);
    }

    private Case malformedHttp() {
        String auth = "Authorization: Bearer " + token + "\r\n";
        String host = "Host: 127.0.0.1\r\n";
        String body = validRefine();
        return Case.raw("malformed-http", switch (random.nextInt(16)) {
            case 0 -> "GET /v1/vibes/" + knownId + "\r\n\r\n";
            case 1 -> "FOO /v1/vibes HTTP/1.1\r\n" + host + auth + "\r\n";
            case 2 -> "get /v1/vibes HTTP/1.1\r\n" + host + auth + "\r\n";
            case 3 -> "GET /v1/vibes/%zz%" + " HTTP/1.1\r\n" + host + auth + "\r\n";
            case 4 -> "GET /v1/vibes HTTP/1.1\r\n" + host + "NoColonHeader\r\n" + auth + "\r\n";
            case 5 -> "GET /v1/vibes HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(20_000 + random.nextInt(40_000)) + "\r\n" + auth + "\r\n";
            case 6 -> "GET /v1/vibes/\u00e9\u00ff HTTP/1.1\r\n" + host + auth + "\r\n";
            case 7 -> "POST /v1/refinements HTTP/1.1\r\n" + host + auth + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n" + body;
            case 8 -> "POST /v1/refinements HTTP/1.1\r\n" + host + auth + "Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
            case 9 -> "POST /v1/refinements HTTP/1.1\r\n" + host + auth + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n";
            case 10 -> "POST /v1/refinements HTTP/1.1\r\n" + host + auth + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n" + body;
            case 11 -> "GET /v1/vibes HTTP/1.1\r\n" + auth + "\r\n";
            case 12 -> "GET /v1/vibes HTTP/1.1\r\n" + host + host + auth + auth + "\r\n";
            case 13 -> "GET " + "/v1/vibes/" + "a".repeat(10_000 + random.nextInt(20_000)) + " HTTP/1.1\r\n" + host + auth + "\r\n";
            case 14 -> "GET /v1/vibes HTTP/9.9\r\n" + host + auth + "\r\n";
            default -> "POST /v1/refinements HTTP/1.1\r\n" + host + auth + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n" + body;
        });
    }

    /** A schema that names an http(s) location on this machine: the server must not fetch it. */
    private Case callOut(int i) {
        String url = "http://127.0.0.1:" + callbackPort + "/schema-" + i + ".json";
        String schema = switch (i % 4) {
            case 0 -> "{\"$ref\":\"" + url + "\"}";
            case 1 -> "{\"$id\":\"" + url + "\",\"$ref\":\"other.json\"}";
            case 2 -> "{\"$schema\":\"" + url + "\"}";
            default -> "{\"allOf\":[{\"$dynamicRef\":\"" + url + "#x\"}]}";
        };
        return Case.http("call-out", "POST", "/v1/refinements", json(),
                "{\"branch\":\"main\",\"dryRun\":true,\"vibes\":[{\"id\":\"corpus/callout\",\"kind\":\"RECORD\",\"schema\":"
                        + schema + ",\"solution\":{}}]}");
    }

    /** A schema that refers to itself without end (plain JSON Schema refs, no aug:). */
    private Case selfReference(int i) {
        String schema = switch (i % 3) {
            case 0 -> "{\"$ref\":\"#\"}";
            case 1 -> "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}";
            default -> "{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#\"}}}";
        };
        return Case.http("self-reference", "POST", "/v1/refinements", json(),
                "{\"branch\":\"main\",\"dryRun\":true,\"vibes\":[{\"id\":\"corpus/self\",\"kind\":\"RECORD\",\"schema\":"
                        + schema + ",\"solution\":{\"x\":{\"x\":{}}}}]}");
    }

    /** A pattern that backtracks exponentially on the solution: the server must answer in bounded time. */
    private Case backtracking(int i) {
        String value = "a".repeat(28 + i % 8) + "!";
        return Case.http("backtracking", "POST", "/v1/refinements", json(),
                "{\"branch\":\"main\",\"dryRun\":true,\"vibes\":[{\"id\":\"corpus/redos\",\"kind\":\"RECORD\",\"schema\":"
                        + "{\"type\":\"string\",\"pattern\":\"^(a+)+$\"},\"solution\":\"" + value + "\"}]}");
    }
}
