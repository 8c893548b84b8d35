package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.log.Checkpoint;
import dev.refinery.domain.log.CompactRange;
import dev.refinery.domain.log.LogLeaf;
import dev.refinery.domain.log.MerkleHash;
import dev.refinery.domain.log.NoteVerifier;
import dev.refinery.domain.log.SignedNote;
import dev.refinery.domain.schema.SchemaReferences;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks the ledger against itself and its signed log (DESIGN.md §4, "Verify"): every vibe's digest
 * from its content; every leaf from its refinement and the outputs' digests; the tree's complete
 * pairs against the stored ones; every checkpoint's signature, and its root against the leaves; the
 * derived tables ({@code schema_refs}, {@code vibe_refs}, visibility) against what the vibes say.
 * Each mismatch is a {@link Finding} naming the ref, refinement, leaf or checkpoint. It reads one
 * snapshot (REPEATABLE READ, read-only) with cursors, so memory does not grow with the ledger.
 */
public final class PostgresHistoryCheck {
    /** One mismatch: what it concerns (a ref, {@code refinement N}, {@code leaf N}, {@code checkpoint N}) and how. */
    public record Finding(String subject, String detail) {
        @Override
        public String toString() {
            return subject + ": " + detail;
        }
    }

    /** Told how far each phase is; {@code total} is -1 when unknown. */
    @FunctionalInterface
    public interface Progress {
        void step(String phase, long done, long total);
    }

    /** How much was checked. */
    public record Summary(long vibes, long leaves, long checkpoints, List<Finding> findings) {}

    private static final int FETCH = 1_000;
    private static final int REPORT_EVERY = 1_000;

    private final PostgresLedgerConfig config;
    private final NoteVerifier verifier;

    public PostgresHistoryCheck(PostgresLedgerConfig config, NoteVerifier verifier) {
        this.config = config;
        this.verifier = verifier;
    }

    /**
     * @param since a checkpoint's tree size to start the log check from (its root is checked against its signature and
     *              the stored subtrees, and then trusted); 0 checks the whole log. Vibes are checked for the refinements
     *              of the leaves checked, and every vibe when 0.
     */
    public Summary run(long since, Progress progress) {
        Properties props = new Properties();
        props.setProperty("user", config.username());
        config.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "refinery verify");
        try (Connection c = DriverManager.getConnection(config.url(), props)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                // a check reads the whole ledger: the role's statement timeout is for requests
                s.execute("SET LOCAL statement_timeout = 0");
                s.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
            }
            List<Finding> findings = new ArrayList<>();
            TreeMap<Long, StoredCheckpoint> checkpoints = checkpoints(c, findings);
            long leaves = leaves(c, since, checkpoints, findings, progress);
            unlogged(c, findings);
            long vibes = vibes(c, since, findings, progress);
            orphans(c, findings);
            c.rollback();
            return new Summary(vibes, leaves, checkpoints.size(), List.copyOf(findings));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger: " + e.getMessage(), e);
        }
    }

    private record StoredCheckpoint(long size, byte[] root, boolean signed) {}

    private TreeMap<Long, StoredCheckpoint> checkpoints(Connection c, List<Finding> findings) throws SQLException {
        TreeMap<Long, StoredCheckpoint> out = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tree_size, root_hash, note FROM log_checkpoints ORDER BY tree_size")) {
            while (rs.next()) {
                long size = rs.getLong(1);
                byte[] root = rs.getBytes(2);
                String subject = "checkpoint " + size;
                Optional<Checkpoint> body = SignedNote.open(rs.getString(3), verifier).flatMap(Checkpoint::parse);
                boolean signed = body.isPresent();
                if (body.isEmpty()) {
                    findings.add(new Finding(subject, "its signed note does not verify with " + verifier));
                } else if (body.get().size() != size || !MessageDigest.isEqual(body.get().root(), root)
                        || !body.get().origin().equals(verifier.name())) {
                    findings.add(new Finding(subject, "the row (size " + size + ", root " + b64(root)
                            + ") is not what its signed note says (" + body.get().body().replace('\n', ' ').strip() + ")"));
                    signed = false;
                }
                out.put(size, new StoredCheckpoint(size, root, signed));
            }
        }
        return out;
    }

    private long leaves(Connection c, long since, TreeMap<Long, StoredCheckpoint> checkpoints, List<Finding> findings,
                        Progress progress) throws SQLException {
        CompactRange range;
        if (since > 0) {
            StoredCheckpoint trusted = checkpoints.get(since);
            if (trusted == null || !trusted.signed()) {
                findings.add(new Finding("checkpoint " + since, "--since needs a stored checkpoint of that size whose "
                        + "signature verifies; the log was not checked"));
                return 0;
            }
            range = CompactRange.of(since, (level, index) -> subtree(c, level, index));
            if (!MessageDigest.isEqual(range.root(), trusted.root())) {
                findings.add(new Finding("checkpoint " + since, "the stored subtrees do not give its signed root; "
                        + "the log was not checked (try without --since)"));
                return 0;
            }
        } else {
            range = CompactRange.empty();
        }
        long total = count(c, "SELECT count(*) FROM log_leaves WHERE leaf_index >= " + since);
        long rootMismatches = 0;
        String firstRootMismatch = null;
        String sql = "SELECT l.leaf_index, l.refinement_id, l.leaf_hash, r.id IS NULL AS missing, n.hash AS pair, "
                + RefinementRow.COLUMNS + ", (SELECT json_agg(json_build_array(v.ref, v.digest)) FROM vibes v "
                + "WHERE v.ref = ANY (r.output_refs))::text AS outputs "
                + "FROM log_leaves l LEFT JOIN refinements r ON r.id = l.refinement_id "
                + "LEFT JOIN log_nodes n ON n.level = 1 AND n.node_index = l.leaf_index / 2 AND l.leaf_index % 2 = 1 "
                + "WHERE l.leaf_index >= ? ORDER BY l.leaf_index";
        long done = 0;
        byte[] previousHash = null;
        long previousRefinement = 0;
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setFetchSize(FETCH);
            p.setLong(1, since);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long index = rs.getLong("leaf_index");
                    long refinementId = rs.getLong("refinement_id");
                    byte[] stored = rs.getBytes("leaf_hash");
                    String leaf = "leaf " + index;
                    if (index != range.size()) {
                        findings.add(new Finding("leaf " + range.size(), "is missing (the next stored leaf is " + index + ")"));
                    }
                    if (rs.getBoolean("missing")) {
                        findings.add(new Finding("refinement " + refinementId, "is missing: " + leaf + " holds it"));
                    } else {
                        Refinement r = RefinementRow.from(rs).toDomain();
                        Map<VibeRef, Digest> digests = new HashMap<>();
                        String outputs = rs.getString("outputs");
                        if (outputs != null) {
                            for (JsonNode pair : Json.read(outputs)) {
                                digests.put(VibeRef.parse(pair.get(0).asText()), new Digest(pair.get(1).asText()));
                            }
                        }
                        Set<VibeRef> absent = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
                        r.outputRefs().stream().filter(ref -> !digests.containsKey(ref)).forEach(absent::add);
                        if (!absent.isEmpty()) {
                            findings.add(new Finding("refinement " + refinementId, "its outputs " + absent + " are missing"));
                        } else if (!MessageDigest.isEqual(LogLeaf.hash(r, digests), stored)) {
                            findings.add(new Finding("refinement " + refinementId, "its record or its outputs' digests "
                                    + "changed since it became " + leaf + " (the leaf hash no longer matches)"));
                        }
                    }
                    // the tree goes on with the stored hash: a changed refinement is named above, once
                    range.append(stored);
                    byte[] pair = rs.getBytes("pair");
                    if (index % 2 == 1 && previousHash != null) {
                        byte[] expected = MerkleHash.node(previousHash, stored);
                        if (pair == null || !MessageDigest.isEqual(pair, expected)) {
                            findings.add(new Finding("leaf " + (index - 1) + " and leaf " + index,
                                    "refinements " + previousRefinement + " and " + refinementId
                                            + " are not the pair the log recorded there: leaves were re-ordered or replaced"));
                        }
                    }
                    previousHash = stored;
                    previousRefinement = refinementId;
                    StoredCheckpoint head = checkpoints.get(range.size());
                    if (head != null && !MessageDigest.isEqual(head.root(), range.root())) {
                        if (firstRootMismatch == null) firstRootMismatch = "checkpoint " + head.size();
                        rootMismatches++;
                    }
                    if (++done % REPORT_EVERY == 0) progress.step("leaves", done, total);
                }
            }
        }
        progress.step("leaves", done, total);
        if (firstRootMismatch != null) {
            findings.add(new Finding(firstRootMismatch, "its root is not the root of the stored leaves"
                    + (rootMismatches > 1 ? " (nor are " + (rootMismatches - 1) + " later checkpoints')" : "")));
        }
        Map.Entry<Long, StoredCheckpoint> beyond = checkpoints.higherEntry(range.size());
        if (beyond != null) {
            findings.add(new Finding("checkpoint " + beyond.getKey(), "covers more leaves than are stored ("
                    + range.size() + ")"));
        }
        return done;
    }

    /** Refinements older than the newest checkpoint by a minute that no leaf holds. */
    private static void unlogged(Connection c, List<Finding> findings) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT r.id FROM refinements r
                WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.refinement_id = r.id)
                  AND r.created_at < (SELECT max(created_at) FROM log_checkpoints) - INTERVAL '1 minute'
                ORDER BY r.id""")) {
            while (rs.next()) {
                findings.add(new Finding("refinement " + rs.getLong(1), "is not in the log"));
            }
        }
    }

    private static long vibes(Connection c, long since, List<Finding> findings, Progress progress) throws SQLException {
        String scope = since > 0
                ? " WHERE v.refinement_id IN (SELECT refinement_id FROM log_leaves WHERE leaf_index >= " + since + ")" : "";
        long total = count(c, "SELECT count(*) FROM vibes v" + scope);
        String sql = """
                SELECT v.ref, v.id, v.branch, v.kind, v.context::text AS context, v.schema::text AS schema,
                       v.solution::text AS solution, v.prototype_ref, v.digest, v.refinement_id,
                       array_to_json(v.schema_refs)::text AS schema_refs, array_to_json(v.branches)::text AS branches,
                       (SELECT json_agg(json_build_array(e.to_ref, e.type)) FROM vibe_refs e WHERE e.from_ref = v.ref)::text AS edges,
                       (SELECT json_agg(json_build_array(vv.branch, vv.refinement_id)) FROM vibe_visibility vv
                         WHERE vv.ref = v.ref)::text AS seen,
                       EXISTS (SELECT 1 FROM refinements r WHERE r.id = v.refinement_id AND v.ref = ANY (r.output_refs)) AS recorded
                FROM vibes v""" + scope + " ORDER BY v.ref";
        long done = 0;
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setFetchSize(FETCH);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    checkVibe(rs, findings);
                    if (++done % REPORT_EVERY == 0) progress.step("vibes", done, total);
                }
            }
        }
        progress.step("vibes", done, total);
        return done;
    }

    private static void checkVibe(ResultSet rs, List<Finding> findings) throws SQLException {
        String ref = rs.getString("ref");
        JsonNode schema = Json.read(rs.getString("schema"));
        Optional<VibeRef> prototype = Optional.ofNullable(rs.getString("prototype_ref")).map(VibeRef::parse);
        Digest stored = new Digest(rs.getString("digest"));
        Digest content = ContentDigest.of(Kind.parse(rs.getString("kind")), VibeId.parse(rs.getString("id")),
                Json.read(rs.getString("context")), schema, Json.read(rs.getString("solution")), prototype);
        if (!content.equals(stored)) {
            findings.add(new Finding(ref, "its content does not give its digest (stored " + stored + ", content " + content + ")"));
        }
        long refinementId = rs.getLong("refinement_id");
        if (!rs.getBoolean("recorded")) {
            findings.add(new Finding(ref, "refinement " + refinementId + " does not record it as an output (or is missing)"));
        }
        Set<String> references = new TreeSet<>();
        try {
            SchemaReferences.of(schema).forEach(r -> references.add(r.toString()));
        } catch (IllegalArgumentException e) {
            findings.add(new Finding(ref, "its schema has an aug reference without $refResolved"));
        }
        Set<String> schemaRefs = new TreeSet<>(Json.strings(rs.getString("schema_refs")));
        if (!schemaRefs.equals(references)) {
            findings.add(new Finding(ref, "schema_refs is " + schemaRefs + " but its schema references " + references));
        }
        Set<String> expectedEdges = new TreeSet<>();
        references.forEach(r -> expectedEdges.add(r + " schema"));
        prototype.ifPresent(p -> expectedEdges.add(p + " prototype"));
        Set<String> edges = new TreeSet<>();
        String edgeText = rs.getString("edges");
        if (edgeText != null) Json.read(edgeText).forEach(e -> edges.add(e.get(0).asText() + " " + e.get(1).asText()));
        if (!edges.equals(expectedEdges)) {
            findings.add(new Finding(ref, "vibe_refs holds " + edges + " but its schema and prototype say " + expectedEdges));
        }
        Set<String> branches = new TreeSet<>(Json.strings(rs.getString("branches")));
        Map<String, Long> seen = new TreeMap<>();
        String seenText = rs.getString("seen");
        if (seenText != null) Json.read(seenText).forEach(e -> seen.put(e.get(0).asText(), e.get(1).asLong()));
        String own = rs.getString("branch");
        if (!Long.valueOf(refinementId).equals(seen.get(own))) {
            findings.add(new Finding(ref, "its visibility on its own branch " + own + " is not from its refinement "
                    + refinementId + " (" + seen.get(own) + ")"));
        }
        if (!branches.equals(seen.keySet())) {
            findings.add(new Finding(ref, "branches is " + branches + " but vibe_visibility makes it visible on " + seen.keySet()));
        }
    }

    /** Derived rows whose vibe does not exist. */
    private static void orphans(Connection c, List<Finding> findings) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT DISTINCT e.from_ref, 'vibe_refs' FROM vibe_refs e WHERE NOT EXISTS (SELECT 1 FROM vibes v WHERE v.ref = e.from_ref)
                UNION
                SELECT DISTINCT vv.ref, 'vibe_visibility' FROM vibe_visibility vv WHERE NOT EXISTS (SELECT 1 FROM vibes v WHERE v.ref = vv.ref)
                ORDER BY 1""")) {
            while (rs.next()) {
                findings.add(new Finding(rs.getString(1), rs.getString(2) + " has rows for it, but the vibe is missing"));
            }
        }
    }

    /** A stored subtree, or zeros where none is stored (the root then fails to match, and that is reported). */
    private static byte[] subtree(Connection c, int level, long index) {
        return LogSubtrees.read(c, level, index).orElseGet(() -> new byte[MerkleHash.SIZE]);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String b64(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }
}
