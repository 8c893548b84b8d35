package dev.refinery.adapters.postgres;

import dev.refinery.domain.Digest;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.log.Checkpoint;
import dev.refinery.domain.log.CompactRange;
import dev.refinery.domain.log.LogLeaf;
import dev.refinery.domain.log.NoteSigner;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends committed refinements to the transparency log, after commit and off the write path: one
 * leader among the instances (a session advisory lock on a connection of its own), batches of
 * refinements in id order, one transaction per batch with its leaves, the complete subtrees they
 * close and a signed checkpoint.
 *
 * <p>Refinement ids come from a sequence, so a refinement can commit after one with a higher id.
 * Nothing is skipped: an id below the highest one integrated that was not visible is a <em>gap</em>,
 * looked for again every batch. A gap is integrated when its refinement becomes visible, and
 * forgotten (its transaction rolled back) only once every transaction that was open when the gap
 * was seen has ended ({@code pg_stat_activity.xact_start}: the transaction holding the id started
 * before its id was drawn, and the id was drawn before a higher one was seen committed). Sessions
 * of roles the service's role cannot see are not waited for: only the service's role writes refinements.
 */
public final class PostgresLogSequencer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PostgresLogSequencer.class.getName());
    private static final String LEADER_LOCK = "refinery/log-sequencer";

    /** What one run did: whether this instance leads, how many leaves it appended, the tree size after. */
    public record Batch(boolean leader, int appended, long size) {}

    private final PostgresLedgerConfig config;
    private final String origin;
    private final NoteSigner signer;
    private final int maxBatch;
    private ScheduledExecutorService scheduler;

    private Connection connection;
    private boolean leader;
    private boolean loaded;
    private CompactRange range;
    private long highest;
    private boolean trackActivities;
    /** Ids below {@link #highest} not integrated yet, with when each was first missed. */
    private final TreeMap<Long, Instant> gaps = new TreeMap<>();

    public PostgresLogSequencer(PostgresLedgerConfig config, String origin, NoteSigner signer, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("a batch holds at least one refinement");
        new Checkpoint(origin, 0, new byte[32]); // checks the origin line
        this.config = config;
        this.origin = origin;
        this.signer = signer;
        this.maxBatch = maxBatch;
    }

    /** Runs a batch every {@code interval} on a thread of its own until {@link #close()}. */
    public synchronized void start(Duration interval) {
        if (scheduler != null) throw new IllegalStateException("the sequencer is running already");
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("log-sequencer").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the log sequencer's batch failed; it tries again", e);
        }
    }

    /** One batch: takes the lead if free, then appends what committed since the last batch. */
    public synchronized Batch runOnce() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connect();
                leader = false;
                loaded = false;
            }
            if (!leader) {
                leader = tryLead();
                if (!leader) return new Batch(false, 0, -1);
            }
            if (!loaded) load();
            return append();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "log sequencer: " + e.getMessage() + "; reconnecting on the next batch");
            disconnect();
            return new Batch(false, 0, -1);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", config.username());
        config.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "refinery log sequencer");
        Connection c = DriverManager.getConnection(config.url(), props);
        c.setAutoCommit(true);
        return c;
    }

    private boolean tryLead() throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            p.setString(1, LEADER_LOCK);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void load() throws SQLException {
        long size = number("SELECT coalesce(max(leaf_index) + 1, 0) FROM log_leaves");
        range = CompactRange.of(size, this::storedSubtree);
        highest = number("SELECT coalesce(max(refinement_id), 0) FROM log_leaves");
        gaps.clear();
        List<Long> missing = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT g FROM generate_series(1, ?) g "
                + "WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.refinement_id = g) ORDER BY g")) {
            p.setLong(1, highest);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) missing.add(rs.getLong(1));
            }
        }
        Instant seen = now();
        missing.forEach(id -> gaps.put(id, seen));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW track_activities")) {
            rs.next();
            trackActivities = "on".equals(rs.getString(1));
        }
        if (!trackActivities) {
            LOG.log(Level.WARNING, "track_activities is off: the log sequencer keeps looking for every missing refinement id");
        }
        loaded = true;
    }

    private Batch append() throws SQLException {
        Set<Long> settled = settledGaps();
        Map<Long, Refinement> found = new TreeMap<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT " + RefinementRow.COLUMNS
                + " FROM refinements r WHERE r.id > ? ORDER BY r.id LIMIT ?")) {
            p.setLong(1, highest);
            p.setInt(2, maxBatch);
            readRefinements(p, found);
        }
        if (!gaps.isEmpty()) {
            try (PreparedStatement p = connection.prepareStatement("SELECT " + RefinementRow.COLUMNS
                    + " FROM refinements r WHERE r.id = ANY (?)")) {
                p.setArray(1, connection.createArrayOf("bigint", gaps.keySet().toArray()));
                readRefinements(p, found);
            }
        }
        Instant seen = now();
        long top = found.keySet().stream().mapToLong(Long::longValue).max().orElse(highest);
        for (long id = highest + 1; id < top; id++) {
            if (!found.containsKey(id)) gaps.put(id, seen);
        }
        for (Iterator<Long> it = gaps.keySet().iterator(); it.hasNext(); ) {
            long id = it.next();
            if (found.containsKey(id) || settled.contains(id)) it.remove();
        }
        highest = Math.max(highest, top);
        if (found.isEmpty()) return new Batch(true, 0, range.size());
        write(found);
        return new Batch(true, found.size(), range.size());
    }

    /** Gaps whose transactions have all ended: every transaction open now began after the gap was seen. */
    private Set<Long> settledGaps() throws SQLException {
        Set<Long> settled = new HashSet<>();
        if (gaps.isEmpty() || !trackActivities) return settled;
        Instant oldest;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
            oldest = t == null ? null : t.toInstant();
        }
        gaps.forEach((id, seen) -> {
            if (oldest == null || seen.isBefore(oldest)) settled.add(id);
        });
        return settled;
    }

    private void write(Map<Long, Refinement> found) throws SQLException {
        // outputs are looked up by ref: a merge's fast-forwarded outputs were written by earlier refinements
        Map<VibeRef, Digest> digests = new HashMap<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT ref, digest FROM vibes WHERE ref = ANY (?)")) {
            p.setArray(1, connection.createArrayOf("text", found.values().stream()
                    .flatMap(r -> r.outputRefs().stream()).map(VibeRef::toString).distinct().toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) digests.put(VibeRef.parse(rs.getString(1)), new Digest(rs.getString(2)));
            }
        }
        connection.setAutoCommit(false);
        boolean done = false;
        try (PreparedStatement leaves = connection.prepareStatement(
                "INSERT INTO log_leaves (leaf_index, refinement_id, leaf_hash) VALUES (?, ?, ?)");
             PreparedStatement nodes = connection.prepareStatement(
                     "INSERT INTO log_nodes (level, node_index, hash) VALUES (?, ?, ?)");
             PreparedStatement checkpoint = connection.prepareStatement(
                     "INSERT INTO log_checkpoints (tree_size, root_hash, note) VALUES (?, ?, ?)")) {
            for (Refinement r : found.values()) {
                Map<VibeRef, Digest> outputs = new HashMap<>();
                r.outputRefs().forEach(ref -> {
                    Digest d = digests.get(ref);
                    if (d != null) outputs.put(ref, d);
                });
                byte[] leafHash = LogLeaf.hash(r, outputs);
                long index = range.size();
                for (CompactRange.Node node : range.append(leafHash)) {
                    if (node.level() == 0) {
                        leaves.setLong(1, index);
                        leaves.setLong(2, r.id());
                        leaves.setBytes(3, leafHash);
                        leaves.addBatch();
                    } else {
                        nodes.setShort(1, (short) node.level());
                        nodes.setLong(2, node.index());
                        nodes.setBytes(3, node.hash());
                        nodes.addBatch();
                    }
                }
            }
            leaves.executeBatch();
            nodes.executeBatch();
            Checkpoint head = new Checkpoint(origin, range.size(), range.root());
            checkpoint.setLong(1, head.size());
            checkpoint.setBytes(2, head.root());
            checkpoint.setString(3, signer.sign(head));
            checkpoint.executeUpdate();
            connection.commit();
            done = true;
        } finally {
            if (!done) {
                loaded = false; // the range has leaves the database did not keep: read it again
                try {
                    connection.rollback();
                } catch (SQLException e) {
                    LOG.log(Level.DEBUG, "rollback of a failed log batch", e);
                }
            }
            connection.setAutoCommit(true);
        }
    }

    private static void readRefinements(PreparedStatement p, Map<Long, Refinement> into) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                Refinement r = RefinementRow.from(rs).toDomain();
                into.put(r.id(), r);
            }
        }
    }

    private byte[] storedSubtree(int level, long index) {
        return LogSubtrees.read(connection, level, index)
                .orElseThrow(() -> new IllegalStateException("the log has no subtree " + level + "/" + index));
    }

    private long number(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Instant now() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private void disconnect() {
        leader = false;
        loaded = false;
        if (connection != null) {
            try {
                connection.close(); // ends the session, and with it the lead
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "closing the sequencer's connection", e);
            }
            connection = null;
        }
    }

    /** The ids still looked for (for tests). */
    synchronized List<Long> pendingGaps() {
        return List.copyOf(gaps.keySet());
    }

    /** Whether this instance holds the lead (as of its last batch). */
    public synchronized boolean isLeader() {
        return leader;
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            disconnect();
        }
    }

}
