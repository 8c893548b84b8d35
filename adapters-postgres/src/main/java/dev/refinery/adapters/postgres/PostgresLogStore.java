package dev.refinery.adapters.postgres;

import dev.refinery.application.log.LogEntry;
import dev.refinery.application.log.LogStore;
import dev.refinery.application.log.SignedCheckpoint;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.log.LogLeaf;
import dev.refinery.domain.log.PerfectSubtrees;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** The transparency log's tables (V16) read through Helidon DbClient; the sequencer writes them. */
public final class PostgresLogStore implements LogStore {
    private static final HexFormat HEX = HexFormat.of();
    private final DbClient db;

    public PostgresLogStore(DbClient db) {
        this.db = db;
    }

    @Override
    public Optional<SignedCheckpoint> latestCheckpoint() {
        return read(tx -> tx.get("SELECT tree_size, encode(root_hash, 'hex') AS root, note FROM log_checkpoints "
                        + "ORDER BY tree_size DESC LIMIT 1")
                .map(r -> new SignedCheckpoint(Rows.number(r, "tree_size"), HEX.parseHex(Rows.text(r, "root")),
                        Rows.text(r, "note"))));
    }

    @Override
    public Optional<LogEntry> entry(long refinementId) {
        return read(tx -> tx.get("SELECT l.leaf_index, encode(l.leaf_hash, 'hex') AS leaf_hash, " + RefinementRow.COLUMNS
                        + " FROM log_leaves l JOIN refinements r ON r.id = l.refinement_id WHERE l.refinement_id = ?",
                        refinementId)
                .map(r -> {
                    Refinement refinement = RefinementRow.from(r).toDomain();
                    String leaf = LogLeaf.canonical(refinement, outputDigests(tx, refinement));
                    return new LogEntry(Rows.number(r, "leaf_index"), refinementId,
                            HEX.parseHex(Rows.text(r, "leaf_hash")), leaf);
                }));
    }

    @Override
    public <T> T withTree(Function<PerfectSubtrees, T> work) {
        return read(tx -> work.apply((level, index) -> subtree(tx, level, index)));
    }

    /** By ref: a merge's fast-forwarded outputs were written by earlier refinements. */
    static Map<VibeRef, Digest> outputDigests(DbExecute tx, Refinement refinement) {
        Map<VibeRef, Digest> digests = new HashMap<>();
        try (Stream<DbRow> rows = tx.query("SELECT ref, digest FROM vibes WHERE ref = ANY (?::text[])",
                (Object) RefinementRow.texts(refinement.outputRefs()))) {
            rows.forEach(r -> digests.put(VibeRef.parse(Rows.text(r, "ref")), new Digest(Rows.text(r, "digest"))));
        }
        return digests;
    }

    private static byte[] subtree(DbExecute tx, int level, long index) {
        Optional<DbRow> row = level == 0
                ? tx.get("SELECT encode(leaf_hash, 'hex') AS hash FROM log_leaves WHERE leaf_index = ?", index)
                : tx.get("SELECT encode(hash, 'hex') AS hash FROM log_nodes WHERE level = ? AND node_index = ?",
                        (short) level, index);
        return HEX.parseHex(Rows.text(row.orElseThrow(() -> new IllegalStateException(
                "the log has no subtree " + level + "/" + index + ": its tables are incomplete")), "hash"));
    }

    private <T> T read(Function<DbExecute, T> work) {
        try {
            DbTransaction tx = db.transaction();
            try {
                tx.dml("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                return work.apply(tx);
            } finally {
                tx.rollback();
            }
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
    }
}
