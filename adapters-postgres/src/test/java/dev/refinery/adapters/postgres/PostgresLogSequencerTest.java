package dev.refinery.adapters.postgres;

import dev.refinery.application.log.SignedCheckpoint;
import dev.refinery.domain.log.Checkpoint;
import dev.refinery.domain.log.MerkleHash;
import dev.refinery.domain.log.MerkleProofs;
import dev.refinery.domain.log.NoteSigner;
import dev.refinery.domain.log.NoteVerifier;
import dev.refinery.domain.log.SignedNote;
import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresLogSequencerTest {
    private static final String ORIGIN = "test.refinery/log";
    private static final String REFINE = "INSERT INTO refinements (id, branch, author_ref, kind, output_refs, message, created_at) "
            + "VALUES (nextval('refinement_id_seq'), 'main', 'main@roles/root?1', 'refine', '{}', 'concurrent', now()) RETURNING id";

    private TestDatabase db;
    private NoteSigner signer;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signer = new NoteSigner(pair.getPrivate(), NoteVerifier.of(ORIGIN, pair.getPublic()));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
        db.close();
    }

    private PostgresLogSequencer sequencer() {
        PostgresLogSequencer s = new PostgresLogSequencer(db.application(), ORIGIN, signer, 1000);
        closing.add(s);
        return s;
    }

    private PostgresLogStore store() {
        DbClient client = db.application().createDbClient();
        closing.add(client::close);
        return new PostgresLogStore(client);
    }

    private Connection application() throws SQLException {
        Connection c = TestDatabase.connect(db.application());
        closing.add(c);
        return c;
    }

    private static long refine(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(REFINE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long leafIndexOf(long refinementId) {
        return store().entry(refinementId).orElseThrow().index();
    }

    @Test
    void committedRefinementsBecomeLeavesUnderASignedCheckpointWhoseProofsVerify() {
        // given
        db.bulkVibes("log", 10, 1);
        PostgresLogSequencer sequencer = sequencer();
        // when
        PostgresLogSequencer.Batch batch = sequencer.runOnce();
        // then
        assertEquals(new PostgresLogSequencer.Batch(true, 11, 11), batch);
        PostgresLogStore store = store();
        SignedCheckpoint head = store.latestCheckpoint().orElseThrow();
        Checkpoint body = SignedNote.open(head.note(), signer.verifier()).flatMap(Checkpoint::parse).orElseThrow();
        assertEquals(new Checkpoint(ORIGIN, 11, head.root()), body);
        assertArrayEquals(head.root(), store.withTree(tree -> MerkleProofs.root(11, tree)));
        for (long id = 1; id <= 11; id++) {
            var entry = store.entry(id).orElseThrow();
            assertEquals(id - 1, entry.index());
            assertArrayEquals(MerkleHash.leaf(entry.leaf().getBytes(java.nio.charset.StandardCharsets.UTF_8)), entry.leafHash());
            var path = store.withTree(tree -> MerkleProofs.inclusion(entry.index(), 11, tree));
            assertTrue(MerkleProofs.verifyInclusion(entry.index(), 11, entry.leafHash(), path, head.root()));
        }
        assertTrue(store.entry(3).orElseThrow().leaf().contains("\"digest\":\"sha256:"), "outputs' digests are in the leaf");
    }

    @Test
    void aBatchWithNothingNewWritesNoCheckpoint() {
        PostgresLogSequencer sequencer = sequencer();
        sequencer.runOnce();
        assertEquals(new PostgresLogSequencer.Batch(true, 0, 1), sequencer.runOnce());
    }

    @Test
    void aRefinementThatCommitsAfterAHigherIdIsIntegratedNotSkipped() throws SQLException {
        // given: A draws the lower id and stays open while B commits a higher one
        PostgresLogSequencer sequencer = sequencer();
        sequencer.runOnce();
        Connection a = application();
        a.setAutoCommit(false);
        long low = refine(a);
        long high = refine(application());
        assertTrue(low < high);
        // when
        assertEquals(2, sequencer.runOnce().size());
        a.commit();
        PostgresLogSequencer.Batch late = sequencer.runOnce();
        // then
        assertEquals(new PostgresLogSequencer.Batch(true, 1, 3), late);
        assertEquals(1, leafIndexOf(high));
        assertEquals(2, leafIndexOf(low));
    }

    @Test
    void anIdWhoseTransactionRolledBackIsForgottenOnlyAfterThatTransactionEnded() throws SQLException {
        PostgresLogSequencer sequencer = sequencer();
        sequencer.runOnce();
        Connection a = application();
        a.setAutoCommit(false);
        long low = refine(a);
        refine(application());
        sequencer.runOnce();
        sequencer.runOnce();
        assertEquals(List.of(low), sequencer.pendingGaps(), "still open: still looked for");
        a.rollback();
        sequencer.runOnce();
        assertEquals(List.of(), sequencer.pendingGaps());
        long next = refine(application());
        assertEquals(new PostgresLogSequencer.Batch(true, 1, 3), sequencer.runOnce());
        assertEquals(2, leafIndexOf(next));
    }

    @Test
    void oneInstanceLeadsAndAnotherTakesOverWhenItsSessionEnds() throws SQLException {
        PostgresLogSequencer first = sequencer();
        PostgresLogSequencer second = sequencer();
        assertTrue(first.runOnce().leader());
        refine(application());
        assertEquals(new PostgresLogSequencer.Batch(false, 0, -1), second.runOnce());
        first.close();
        refine(application());
        assertEquals(new PostgresLogSequencer.Batch(true, 2, 3), second.runOnce());
        SignedCheckpoint head = store().latestCheckpoint().orElseThrow();
        assertArrayEquals(head.root(), store().withTree(tree -> MerkleProofs.root(3, tree)));
    }

    @Test
    void whenTheLeadersSessionIsKilledAnotherInstanceTakesOverAndTheTreeGoesOn() throws SQLException {
        // given
        PostgresLogSequencer first = sequencer();
        PostgresLogSequencer second = sequencer();
        assertTrue(first.runOnce().leader());
        assertFalse(second.runOnce().leader());
        // when: a failover or crash ends every session of the service
        assertTrue(db.terminateApplicationBackends() >= 2);
        long id = refine(application());
        PostgresLogSequencer.Batch failed = second.runOnce();
        PostgresLogSequencer.Batch takenOver = second.runOnce();
        // then
        assertEquals(new PostgresLogSequencer.Batch(false, 0, -1), failed, "the dead session is noticed");
        assertEquals(new PostgresLogSequencer.Batch(true, 1, 2), takenOver);
        first.runOnce();
        assertEquals(new PostgresLogSequencer.Batch(false, 0, -1), first.runOnce(), "the old leader follows now");
        assertEquals(1, leafIndexOf(id));
        SignedCheckpoint head = store().latestCheckpoint().orElseThrow();
        assertArrayEquals(head.root(), store().withTree(tree -> MerkleProofs.root(2, tree)));
    }

    @Test
    void concurrentWritersCommittingOutOfOrderLoseNoRefinement() throws Exception {
        // given: writers that hold their id a random while before committing, or roll back
        PostgresLogSequencer sequencer = sequencer();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writers.add(pool.submit(() -> {
                List<Long> committed = new ArrayList<>();
                try (Connection c = TestDatabase.connect(db.application())) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < 40; i++) {
                        long id = refine(c);
                        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 15));
                        if (i % 7 == 3) {
                            c.rollback();
                        } else {
                            c.commit();
                            committed.add(id);
                        }
                    }
                }
                return committed;
            }));
        }
        Future<?> sequencing = pool.submit(() -> {
            while (writing.get()) sequencer.runOnce();
            return null;
        });
        // when
        List<Long> committed = new ArrayList<>();
        for (Future<List<Long>> f : writers) committed.addAll(f.get());
        writing.set(false);
        sequencing.get();
        pool.shutdown();
        sequencer.runOnce();
        sequencer.runOnce(); // a rollback first seen by the last batch is forgotten by the next
        // then: every committed refinement is exactly one leaf, and the tree is the one its leaves make
        PostgresLogStore store = store();
        long size = store.latestCheckpoint().orElseThrow().size();
        assertEquals(committed.size() + 1, size);
        for (long id : committed) assertTrue(store.entry(id).isPresent(), "refinement " + id + " integrated");
        assertEquals(List.of(), sequencer.pendingGaps());
        dev.refinery.domain.log.CompactRange fresh = dev.refinery.domain.log.CompactRange.empty();
        for (long i = 0; i < size; i++) {
            long index = i;
            fresh.append(store.withTree(tree -> tree.hash(0, index)));
        }
        assertArrayEquals(fresh.root(), store.latestCheckpoint().orElseThrow().root());
    }

    @Test
    void theLogIsAppendOnlyForTheApplicationAndTheOwner() throws SQLException {
        sequencer().runOnce();
        try (Statement s = application().createStatement()) {
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> s.execute("UPDATE log_leaves SET refinement_id = 1")).getSQLState());
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> s.execute("DELETE FROM log_checkpoints")).getSQLState());
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> s.execute("TRUNCATE log_nodes")).getSQLState());
            assertEquals("23514", assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO log_leaves (leaf_index, refinement_id, leaf_hash) VALUES (5, 1, sha256(''))")).getSQLState());
        }
        IllegalStateException owner = assertThrows(IllegalStateException.class,
                () -> db.execute("DELETE FROM log_leaves"));
        assertEquals("42501", ((SQLException) owner.getCause()).getSQLState());
        assertFalse(store().latestCheckpoint().isEmpty());
    }
}
