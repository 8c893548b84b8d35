package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.adapters.postgres.PostgresHistoryCheck.Finding;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.log.Checkpoint;
import dev.refinery.domain.log.NoteSigner;
import dev.refinery.domain.log.NoteVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tampering as the database owner with triggers off ({@code session_replication_role = replica}), then
 * verifying: each change is found and named.
 */
class PostgresHistoryCheckTest {
    private static final String ORIGIN = "test.refinery/log";
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestDatabase db;
    private NoteSigner signer;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signer = new NoteSigner(pair.getPrivate(), NoteVerifier.of(ORIGIN, pair.getPublic()));
        // refinements 2..7 write main@t/1?1 .. main@t/6?1 (t/2 has t/1 as prototype), in two batches
        try (PostgresLogSequencer sequencer = new PostgresLogSequencer(db.application(), ORIGIN, signer, 100)) {
            for (int i = 1; i <= 6; i++) {
                write(i);
                if (i == 3) sequencer.runOnce();
            }
            sequencer.runOnce();
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void write(int i) throws Exception {
        String prototype = i == 2 ? "main@t/1?1" : null;
        String solution = "{\"n\": " + i + "}";
        String digest = ContentDigest.of(Kind.RECORD, VibeId.parse("t/" + i), JSON.readTree("{}"), JSON.readTree("{}"),
                JSON.readTree(solution), Optional.ofNullable(prototype).map(VibeRef::parse)).value();
        long refinement = i + 1;
        db.execute("INSERT INTO refinements (id, branch, author_ref, kind, output_refs, message, created_at) VALUES ("
                + refinement + ", 'main', 'main@roles/root?1', 'refine', ARRAY['main@t/" + i + "?1'], 'write " + i + "', now())",
                "INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, prototype_ref, refinement_id, "
                        + "context, schema, solution, schema_refs, digest, created_at) VALUES ('main@t/" + i + "?1', 't/" + i
                        + "', 'main', 1, 'RECORD', '{}', 'main@roles/root?1', " + (prototype == null ? "NULL" : "'" + prototype + "'")
                        + ", " + refinement + ", '{}', '{}', '" + solution + "', NULL, '" + digest + "', now())",
                "SELECT setval('refinement_id_seq', " + refinement + ")");
    }

    private void tamper(String... sql) {
        List<String> statements = new ArrayList<>();
        statements.add("SET session_replication_role = replica");
        statements.addAll(List.of(sql));
        db.execute(statements.toArray(String[]::new));
    }

    private List<Finding> verify() {
        return verify(0);
    }

    private List<Finding> verify(long since) {
        return new PostgresHistoryCheck(db.application(), signer.verifier()).run(since, (phase, done, total) -> {}).findings();
    }

    private static void assertNamed(List<Finding> findings, String subject, String detailPart) {
        assertTrue(findings.stream().anyMatch(f -> f.subject().equals(subject) && f.detail().contains(detailPart)),
                () -> "expected '" + subject + ": …" + detailPart + "…' among " + findings);
    }

    @Test
    void anUntouchedLedgerHasNoFindings() {
        var summary = new PostgresHistoryCheck(db.application(), signer.verifier()).run(0, (p, d, t) -> {});
        assertEquals(List.of(), summary.findings());
        assertEquals(7, summary.vibes());
        assertEquals(7, summary.leaves());
        assertEquals(2, summary.checkpoints());
        assertEquals(List.of(), verify(4), "from the first checkpoint on");
    }

    @Test
    void aChangedSolutionIsNamedByItsRef() {
        tamper("UPDATE vibes SET solution = '{\"n\": 99}' WHERE ref = 'main@t/3?1'");
        List<Finding> findings = verify();
        assertNamed(findings, "main@t/3?1", "its content does not give its digest");
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void aChangedSolutionWithAMatchingDigestIsNamedByItsLeaf() throws Exception {
        String digest = ContentDigest.of(Kind.RECORD, VibeId.parse("t/3"), JSON.readTree("{}"), JSON.readTree("{}"),
                JSON.readTree("{\"n\": 99}"), Optional.empty()).value();
        tamper("UPDATE vibes SET solution = '{\"n\": 99}', digest = '" + digest + "' WHERE ref = 'main@t/3?1'");
        List<Finding> findings = verify();
        assertNamed(findings, "refinement 4", "changed since it became leaf 3");
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void aChangedRefinementIsNamed() {
        tamper("UPDATE refinements SET message = 'forged' WHERE id = 5");
        List<Finding> findings = verify();
        assertNamed(findings, "refinement 5", "changed since it became leaf 4");
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void aDeletedRefinementIsNamed() {
        tamper("DELETE FROM refinements WHERE id = 6");
        List<Finding> findings = verify();
        assertNamed(findings, "refinement 6", "is missing: leaf 5 holds it");
        assertNamed(findings, "main@t/5?1", "refinement 6 does not record it");
    }

    @Test
    void aForgedCheckpointIsNamed() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        NoteSigner forger = new NoteSigner(other.getPrivate(), NoteVerifier.of(ORIGIN, other.getPublic()));
        String note = forger.sign(new Checkpoint(ORIGIN, 7, new byte[32]));
        tamper("UPDATE log_checkpoints SET note = '" + note + "', root_hash = '\\x" + "00".repeat(32)
                + "'::bytea WHERE tree_size = 7");
        List<Finding> findings = verify();
        assertNamed(findings, "checkpoint 7", "its signed note does not verify");
        assertNamed(findings, "checkpoint 7", "its root is not the root of the stored leaves");
    }

    @Test
    void aCheckpointRowThatDisagreesWithItsNoteIsNamed() {
        tamper("UPDATE log_checkpoints SET root_hash = sha256('x') WHERE tree_size = 4");
        assertNamed(verify(), "checkpoint 4", "is not what its signed note says");
    }

    @Test
    void reorderedLeavesAreNamedWithTheirRefinements() {
        tamper("UPDATE log_leaves SET leaf_index = 1000 WHERE leaf_index = 2",
                "UPDATE log_leaves SET leaf_index = 2 WHERE leaf_index = 3",
                "UPDATE log_leaves SET leaf_index = 3 WHERE leaf_index = 1000");
        List<Finding> findings = verify();
        assertNamed(findings, "leaf 2 and leaf 3", "refinements 4 and 3 are not the pair the log recorded");
        assertNamed(findings, "checkpoint 4", "its root is not the root of the stored leaves");
    }

    @Test
    void derivedTablesThatDisagreeWithTheVibesAreNamed() {
        tamper("DELETE FROM vibe_refs WHERE from_ref = 'main@t/2?1'",
                "UPDATE vibes SET branches = ARRAY['main', 'dev'] WHERE ref = 'main@t/4?1'",
                "UPDATE vibes SET schema_refs = ARRAY['main@t/1?1'] WHERE ref = 'main@t/6?1'");
        List<Finding> findings = verify();
        assertNamed(findings, "main@t/2?1", "vibe_refs holds []");
        assertNamed(findings, "main@t/4?1", "but vibe_visibility makes it visible on [main]");
        assertNamed(findings, "main@t/6?1", "schema_refs is [main@t/1?1]");
        assertEquals(3, findings.size(), findings::toString);
    }
}
