package dev.refinery.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The log's stored hashes of complete subtrees: a leaf at level 0 ({@code log_leaves}), above it {@code log_nodes}. */
final class LogSubtrees {
    private LogSubtrees() {
    }

    /** The hash of the subtree {@code index} at {@code level}, or empty when none is stored. */
    static Optional<byte[]> read(Connection c, int level, long index) {
        String sql = level == 0 ? "SELECT leaf_hash FROM log_leaves WHERE leaf_index = ?"
                : "SELECT hash FROM log_nodes WHERE level = ? AND node_index = ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (level == 0) {
                p.setLong(1, index);
            } else {
                p.setShort(1, (short) level);
                p.setLong(2, index);
            }
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
