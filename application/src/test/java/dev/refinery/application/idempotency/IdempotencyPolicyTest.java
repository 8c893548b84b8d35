package dev.refinery.application.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.idempotency.IdempotencyPolicy.Repeat;
import dev.refinery.application.idempotency.IdempotencyPolicy.Space;
import dev.refinery.domain.Digest;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotencyPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void aKeyIsOneTo200CharactersNotBlankWithoutNul() {
        assertEquals(Optional.empty(), IdempotencyPolicy.problem("k"));
        assertEquals(Optional.empty(), IdempotencyPolicy.problem("k".repeat(200)));
        assertTrue(IdempotencyPolicy.problem("k".repeat(201)).isPresent());
        assertTrue(IdempotencyPolicy.problem("   ").isPresent());
        assertTrue(IdempotencyPolicy.problem("k\u0000").orElseThrow().contains("NUL"));
    }

    @Test
    void anAbsentOrEmptyKeyIsNoKeyAndABadOneIsRefused() {
        assertEquals(Optional.empty(), IdempotencyPolicy.key(null));
        assertEquals(Optional.empty(), IdempotencyPolicy.key(Optional.empty()));
        assertEquals(Optional.empty(), IdempotencyPolicy.key(Optional.of("")));
        assertEquals(Optional.of(" k "), IdempotencyPolicy.key(Optional.of(" k ")));
        for (String bad : new String[]{" ", "k".repeat(201), "\u0000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IdempotencyPolicy.key(Optional.of(bad)));
            assertTrue(e.getMessage().startsWith("idempotencyKey "), e.getMessage());
        }
    }

    @Test
    void theDigestIsOfTheCanonicalRequestAndSaysWhatItAsksFor() throws Exception {
        Digest a = IdempotencyPolicy.digest("refine", json("{\"branch\": \"main\", \"n\": 1.0, \"m\": \"x\"}"));
        Digest reordered = IdempotencyPolicy.digest("refine", json("{\"m\": \"x\", \"n\": 1, \"branch\": \"main\"}"));
        Digest other = IdempotencyPolicy.digest("refine", json("{\"branch\": \"main\", \"n\": 2, \"m\": \"x\"}"));
        Digest merge = IdempotencyPolicy.digest("merge", json("{\"branch\": \"main\", \"n\": 1, \"m\": \"x\"}"));

        assertEquals(a, reordered, "RFC 8785: member order and number spelling do not matter");
        assertNotEquals(a, other);
        assertNotEquals(a, merge, "a merge is not a refine of the same fields");
    }

    @Test
    void theSameDigestIsARetryAnotherIsAReuseAndNoneIsARetry() throws Exception {
        Digest a = IdempotencyPolicy.digest("refine", json("{\"n\": 1}"));
        Digest b = IdempotencyPolicy.digest("refine", json("{\"n\": 2}"));

        assertEquals(Repeat.RETRY, IdempotencyPolicy.repeat(Optional.of(a), a));
        assertEquals(Repeat.REUSED, IdempotencyPolicy.repeat(Optional.of(a), b));
        assertEquals(Repeat.RETRY, IdempotencyPolicy.repeat(Optional.empty(), b), "recorded before digests were");
    }

    @Test
    void locksAreByAuthorAndSpace() {
        VibeRef root = VibeRef.of("main", "roles/root", 1);
        VibeRef other = VibeRef.of("main", "roles/other", 1);

        assertNotEquals(IdempotencyPolicy.lockName(Space.REFINEMENTS, root, "k"),
                IdempotencyPolicy.lockName(Space.REFINEMENTS, other, "k"));
        assertNotEquals(IdempotencyPolicy.lockName(Space.REFINEMENTS, root, "k"),
                IdempotencyPolicy.lockName(Space.PROCESSES, root, "k"));
    }
}
