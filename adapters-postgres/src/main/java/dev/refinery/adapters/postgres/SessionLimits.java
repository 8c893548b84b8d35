package dev.refinery.adapters.postgres;

import java.time.Duration;
import java.util.List;

/**
 * How long one session of the service may wait or hold on: {@code statement_timeout} (one statement),
 * {@code lock_timeout} (waiting for one lock) and {@code idle_in_transaction_session_timeout} (a transaction left
 * open with nothing running). PostgreSQL enforces them; a statement past one fails with SQLState 57014, 55P03 or
 * 25P03 and its transaction rolls back, so a runaway request frees its locks and its connection instead of holding
 * up every write behind it. They are set twice, from this one place: on the application role when it is granted
 * (so every session of the role has them, whoever opens it) and on each pooled connection (so the values the
 * service is configured with apply even to a role granted by an older release).
 */
public record SessionLimits(Duration statementTimeout, Duration lockTimeout, Duration idleInTransactionTimeout) {
    public static final SessionLimits DEFAULT =
            new SessionLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60));

    public SessionLimits {
        for (Duration d : new Duration[]{statementTimeout, lockTimeout, idleInTransactionTimeout}) {
            // 0 would mean "no limit" to PostgreSQL: not a bound at all
            if (d == null || d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a session limit is between 1 ms and 24 days, got " + d);
            }
        }
    }

    /** Each setting's name and value in milliseconds, in the order above. */
    List<Setting> settings() {
        return List.of(new Setting("statement_timeout", statementTimeout.toMillis()),
                new Setting("lock_timeout", lockTimeout.toMillis()),
                new Setting("idle_in_transaction_session_timeout", idleInTransactionTimeout.toMillis()));
    }

    /** The statements that set them on a session, for a pool's connection-init SQL. */
    String sessionSql() {
        StringBuilder sql = new StringBuilder();
        for (Setting s : settings()) sql.append("SET ").append(s.name()).append(" = ").append(s.millis()).append(';');
        return sql.toString();
    }

    record Setting(String name, long millis) {}
}
