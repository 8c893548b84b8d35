package dev.refinery.adapters.postgres;

import dev.refinery.application.port.DuplicateWriteException;
import dev.refinery.application.port.LedgerTimeoutException;
import dev.refinery.application.port.LedgerUnavailableException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;

/** Turns what PostgreSQL, pgjdbc, Hikari and DbClient throw into the port's exceptions. */
final class SqlFailures {
    private SqlFailures() {}

    /** serialization_failure, deadlock_detected, admin/crash shutdown, cannot_connect_now, too_many_connections */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "53300");
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String CHECK_VIOLATION = "23514";
    /** query_canceled (statement_timeout), lock_not_available (lock_timeout), idle_in_transaction_session_timeout */
    private static final Set<String> TIMED_OUT = Set.of("57014", "55P03", "25P03");

    /** The port's exception for {@code failure}, or {@code failure} itself when it is not about the database. */
    static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof LedgerUnavailableException || failure instanceof DuplicateWriteException) return failure;
        Optional<SQLException> sql = sqlCause(failure);
        if (sql.isEmpty()) return failure;
        SQLException e = sql.get();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals(UNIQUE_VIOLATION)) {
            return new DuplicateWriteException("a concurrent write took the same key: " + e.getMessage(), failure);
        }
        if (state.equals(FOREIGN_KEY_VIOLATION) || state.equals(CHECK_VIOLATION)) {
            // a caller's bug (a missing branch, author or vibe; a malformed row), as the in-memory ledger says too
            return new IllegalArgumentException("the ledger refused the write: " + e.getMessage(), failure);
        }
        if (TIMED_OUT.contains(state)) {
            return new LedgerTimeoutException("the ledger database stopped the work at a time bound (SQLState " + state
                    + "): " + e.getMessage(), failure);
        }
        if (RETRYABLE.contains(state) || state.startsWith("08") || e instanceof SQLTransientConnectionException
                || e instanceof SQLRecoverableException) {
            return new LedgerUnavailableException("the ledger database is unavailable (SQLState " + state + "): "
                    + e.getMessage(), failure);
        }
        return failure;
    }

    private static Optional<SQLException> sqlCause(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLException e) return Optional.of(e);
        }
        return Optional.empty();
    }
}
