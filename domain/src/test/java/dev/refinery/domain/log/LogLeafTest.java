package dev.refinery.domain.log;

import dev.refinery.domain.BranchName;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogLeafTest {
    private static final VibeRef ROOT = VibeRef.parse("main@roles/root?1");
    private static final VibeRef USER = VibeRef.parse("main@schemas/user?2");
    private static final Digest DIGEST = new Digest("sha256:" + "ab".repeat(32));

    private static Refinement refinement() {
        return new Refinement(7, BranchName.MAIN, ROOT, RefinementKind.REFINE, List.of(VibeRef.parse("main@schemas/user?1")),
                List.of(), List.of(), List.of(USER), "add \"age\"", Optional.empty(), Optional.empty(), Instant.parse("2026-12-07T18:00:00.123456Z"));
    }

    @Test
    void leafIsTheCanonicalJsonOfTheRecordAndItsOutputsDigests() {
        String expected = "{\"outputs\":[{\"digest\":\"" + DIGEST + "\",\"ref\":\"main@schemas/user?2\"}],"
                + "\"refinement\":{\"authorRef\":\"main@roles/root?1\",\"branch\":\"main\",\"budgetRefs\":[],"
                + "\"createdAt\":\"2026-12-07T18:00:00.123456Z\",\"id\":7,\"idempotencyKey\":null,\"instructionRefs\":[],"
                + "\"kind\":\"refine\",\"message\":\"add \\\"age\\\"\",\"outputRefs\":[\"main@schemas/user?2\"],"
                + "\"targetRefs\":[\"main@schemas/user?1\"]}}";
        assertEquals(expected, LogLeaf.canonical(refinement(), Map.of(USER, DIGEST)));
        assertArrayEquals(MerkleHash.leaf(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                LogLeaf.hash(refinement(), Map.of(USER, DIGEST)));
    }

    @Test
    void anOutputWithoutDigestIsABug() {
        assertThrows(IllegalArgumentException.class, () -> LogLeaf.canonical(refinement(), Map.of()));
    }
}
