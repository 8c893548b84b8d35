package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/log}: what a client that holds only the public key can check. The checks here are written
 * from RFC 9162 and C2SP signed-note in this test, with none of the server's log classes.
 */
@ServerTest
class LogApiTest {
    private static final TestApp APP = TestApp.withoutAuth();
    private final Api api;

    LogApiTest(URI uri) {
        api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        APP.configure(server);
    }

    // ---- an independent client ----------------------------------------------------------------

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) d.update(p);
        return d.digest();
    }

    private static byte[] node(byte[] l, byte[] r) throws Exception {
        return sha256(new byte[]{1}, l, r);
    }

    private static long split(long n) {
        long k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }

    /** The root an audit path leads to, by undoing RFC 9162's PATH recursion (the last hash is the top level's). */
    private static byte[] rootFromPath(long index, long size, byte[] leafHash, List<byte[]> path) throws Exception {
        if (size == 1) {
            if (!path.isEmpty()) throw new AssertionError("path too long");
            return leafHash;
        }
        if (path.isEmpty()) throw new AssertionError("path too short");
        long k = split(size);
        byte[] sibling = path.getLast();
        List<byte[]> rest = path.subList(0, path.size() - 1);
        return index < k ? node(rootFromPath(index, k, leafHash, rest), sibling)
                : node(sibling, rootFromPath(index - k, size - k, leafHash, rest));
    }

    /** The (old, new) roots a consistency proof leads to, by undoing RFC 9162's SUBPROOF recursion. */
    private static byte[][] rootsFromProof(long m, long n, boolean whole, byte[] oldRoot, List<byte[]> proof) throws Exception {
        if (m == n) {
            if (whole) {
                if (!proof.isEmpty()) throw new AssertionError("proof too long");
                return new byte[][]{oldRoot, oldRoot};
            }
            if (proof.size() != 1) throw new AssertionError("proof of wrong length");
            return new byte[][]{proof.getFirst(), proof.getFirst()};
        }
        if (proof.isEmpty()) throw new AssertionError("proof too short");
        long k = split(n);
        byte[] top = proof.getLast();
        List<byte[]> rest = proof.subList(0, proof.size() - 1);
        if (m <= k) {
            byte[][] inner = rootsFromProof(m, k, whole, oldRoot, rest);
            return new byte[][]{inner[0], node(inner[1], top)};
        }
        byte[][] inner = rootsFromProof(m - k, n - k, false, oldRoot, rest);
        return new byte[][]{node(top, inner[0]), node(top, inner[1])};
    }

    /** A checkpoint note opened with the verifier string alone: origin, size, root. */
    private record Head(String origin, long size, byte[] root) {}

    private static Head open(String note, String verifier) throws Exception {
        String[] v = verifier.strip().split("\\+", 3);
        byte[] typedKey = Base64.getDecoder().decode(v[2]);
        assertEquals(1, typedKey[0], "Ed25519");
        byte[] raw = Arrays.copyOfRange(typedKey, 1, 33);
        byte[] id = Arrays.copyOf(sha256(v[0].getBytes(StandardCharsets.UTF_8), new byte[]{0x0A, 0x01}, raw), 4);
        assertEquals(v[1], HexFormat.of().formatHex(id), "key id");
        int blank = note.indexOf("\n\n");
        String text = note.substring(0, blank + 1);
        String line = note.substring(blank + 2, note.length() - 1);
        assertTrue(line.startsWith("\u2014 " + v[0] + " "), line);
        byte[] sig = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        assertArrayEquals(id, Arrays.copyOf(sig, 4));
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                ByteBuffer.allocate(44).put(HexFormat.of().parseHex("302a300506032b6570032100")).put(raw).array()));
        Signature verify = Signature.getInstance("Ed25519");
        verify.initVerify(key);
        verify.update(text.getBytes(StandardCharsets.UTF_8));
        assertTrue(verify.verify(Arrays.copyOfRange(sig, 4, sig.length)), "the checkpoint's signature");
        String[] lines = text.split("\n");
        return new Head(lines[0], Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2]));
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        return out;
    }

    // ---- the tests ---------------------------------------------------------------------------

    private JsonNode write(String id) {
        return api.post("/v1/refinements", """
                {"branch": "main", "vibes": [{"id": "%s", "kind": "RECORD", "schema": {}, "solution": {"n": 1}}]}
                """.formatted(id)).expect(201).json();
    }

    private Head head(String verifier) throws Exception {
        Api.Reply reply = api.get("/v1/log/checkpoint").expect(200);
        assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
        return open(reply.body(), verifier);
    }

    @Test
    void aClientWithOnlyThePublicKeyChecksInclusionAndConsistency() throws Exception {
        // given: refinements integrated under a checkpoint
        List<JsonNode> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) written.add(write("log/a" + i + "-" + System.nanoTime()));
        APP.log.integrate(APP.ledger);
        String verifier = api.get("/v1/log/key").expect(200).body();
        Head first = head(verifier);
        assertEquals(TestApp.LOG_ORIGIN, first.origin());

        // when / then: each refinement's leaf is its record and outputs, and its path leads to the signed root
        for (JsonNode w : written) {
            long id = w.at("/refinement/id").asLong();
            JsonNode leaf = api.get("/v1/log/leaves/" + id).expect(200).json();
            byte[] leafHash = sha256(new byte[]{0}, leaf.get("leaf").asText().getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(leafHash, Base64.getDecoder().decode(leaf.get("hash").asText()));
            JsonNode content = Api.JSON.readTree(leaf.get("leaf").asText());
            assertEquals(id, content.at("/refinement/id").asLong());
            assertEquals(w.at("/vibes/0/digest").asText(), content.at("/outputs/0/digest").asText());
            JsonNode proof = api.get("/v1/log/proof/inclusion?refinement=" + id + "&size=" + first.size()).expect(200).json();
            assertEquals(leaf.get("index").asLong(), proof.get("index").asLong());
            assertArrayEquals(first.root(), rootFromPath(proof.get("index").asLong(), first.size(), leafHash,
                    hashes(proof.get("hashes"))));
            assertEquals(leaf.get("index").asLong(), api.get("/v1/refinements/" + id).expect(200).json().get("logIndex").asLong());
        }

        // and: after more writes, the new checkpoint extends the old one
        for (int i = 0; i < 6; i++) write("log/b" + i + "-" + System.nanoTime());
        APP.log.integrate(APP.ledger);
        Head second = head(verifier);
        assertTrue(second.size() > first.size());
        JsonNode consistency = api.get("/v1/log/proof/consistency?from=" + first.size() + "&to=" + second.size())
                .expect(200).json();
        byte[][] roots = rootsFromProof(first.size(), second.size(), true, first.root(), hashes(consistency.get("hashes")));
        assertArrayEquals(first.root(), roots[0]);
        assertArrayEquals(second.root(), roots[1]);
        // and the same proof does not bind a forged old root to the new one
        byte[] forged = first.root().clone();
        forged[0] ^= 1;
        byte[][] fromForged = rootsFromProof(first.size(), second.size(), true, forged, hashes(consistency.get("hashes")));
        assertFalse(Arrays.equals(forged, fromForged[0]) && Arrays.equals(second.root(), fromForged[1]));
    }

    @Test
    void aRefinementNotYetIntegratedHasNoLeafAndANullLogIndex() {
        long id = write("log/late-" + System.nanoTime()).at("/refinement/id").asLong();
        api.get("/v1/log/leaves/" + id).problem(404);
        api.get("/v1/log/proof/inclusion?refinement=" + id).problem(404);
        assertTrue(api.get("/v1/refinements/" + id).expect(200).json().get("logIndex").isNull());
    }

    @Test
    void sizesOutsideTheSignedTreeAre422AndMalformedParameters400() {
        write("log/c-" + System.nanoTime());
        APP.log.integrate(APP.ledger);
        long size = APP.log.latestCheckpoint().orElseThrow().size();
        assertTrue(api.get("/v1/log/proof/inclusion?refinement=1&size=" + (size + 1)).problem(422)
                .get("detail").asText().contains("beyond the newest checkpoint"));
        api.get("/v1/log/proof/consistency?from=" + (size + 1) + "&to=" + size).problem(422);
        api.get("/v1/log/proof/consistency?from=1&to=" + (size + 5)).problem(422);
        api.get("/v1/log/proof/consistency?from=0&to=1").problem(400);
        api.get("/v1/log/proof/consistency?from=1").problem(400);
        api.get("/v1/log/proof/inclusion?refinement=x").problem(400);
        api.get("/v1/log/proof/inclusion?refinement=1&size=1&extra=2").problem(400);
        api.get("/v1/log/leaves/-1").problem(400);
        api.method("POST", "/v1/log/checkpoint").problem(405);
    }
}
