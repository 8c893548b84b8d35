package dev.refinery.adapters.postgres;

import dev.refinery.application.port.VibeLedger;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

import java.lang.System.Logger.Level;

/**
 * The ledger on PostgreSQL through Helidon DbClient: each unit of work is one database transaction,
 * committed when the work returns (unless marked rollback-only) and rolled back otherwise. Lost
 * connections, failovers, deadlocks and serialization failures surface as
 * {@link dev.refinery.application.port.LedgerUnavailableException}; unique violations as
 * {@link dev.refinery.application.port.DuplicateWriteException}.
 */
public final class PostgresVibeLedger implements VibeLedger, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PostgresVibeLedger.class.getName());

    private final DbClient db;
    /** Where reads run: {@link #db}, or a pool of read-only REPEATABLE READ connections ({@link #withReadPool}). */
    private final DbClient reads;
    private final boolean ownsClient;

    /**
     * A ledger over a client that the caller owns and closes; each read sets its transaction up (REPEATABLE READ,
     * READ ONLY) with a statement of its own.
     */
    public PostgresVibeLedger(DbClient db) {
        this(db, db, false);
    }

    private PostgresVibeLedger(DbClient db, DbClient reads, boolean ownsClient) {
        this.db = db;
        this.reads = reads;
        this.ownsClient = ownsClient;
    }

    /** A ledger with its own connection pool, closed by {@link #close()}. */
    public static PostgresVibeLedger create(PostgresLedgerConfig config) {
        DbClient client = config.createDbClient();
        return new PostgresVibeLedger(client, client, true);
    }

    /**
     * A ledger that writes through {@code writes} and reads through {@code reads}, a client from
     * {@link PostgresLedgerConfig#createReadOnlyDbClient}: its connections are read-only and REPEATABLE READ already,
     * so a read is one round trip shorter (its first query begins the transaction). Both clients stay the caller's.
     *
     * @throws IllegalArgumentException when a connection of {@code reads} is not read-only and REPEATABLE READ
     */
    public static PostgresVibeLedger withReadPool(DbClient writes, DbClient reads) {
        String setUp;
        try {
            DbTransaction tx = reads.transaction();
            try {
                setUp = tx.get("SELECT current_setting('transaction_isolation') || ', '"
                                + " || current_setting('transaction_read_only') AS set_up")
                        .map(row -> Rows.text(row, "set_up")).orElse("");
            } finally {
                tx.rollback();
            }
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
        if (!setUp.equals("repeatable read, on")) {
            throw new IllegalArgumentException("the read pool's transactions are " + setUp
                    + ", not repeatable read and read-only: create it with PostgresLedgerConfig.createReadOnlyDbClient");
        }
        return new PostgresVibeLedger(writes, reads, false);
    }

    @Override
    public <T> T inTransaction(UnitOfWork<T> work) {
        return run(work, false);
    }

    @Override
    public <T> T read(UnitOfWork<T> work) {
        return run(work, true);
    }

    private <T> T run(UnitOfWork<T> work, boolean readOnly) {
        DbTransaction dbTx;
        try {
            dbTx = readOnly ? reads.transaction() : db.transaction();
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
        boolean ended = false;
        try {
            if (readOnly && reads == db) {
                // one snapshot for every statement of the unit of work (a read pool's connections are set up so)
                dbTx.dml("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            PostgresLedgerTransaction tx = new PostgresLedgerTransaction(dbTx);
            T result = work.run(tx);
            ended = true;
            if (tx.isRollbackOnly()) {
                dbTx.rollback();
            } else {
                dbTx.commit();
            }
            return result;
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        } finally {
            if (!ended) rollbackQuietly(dbTx);
        }
    }

    private static void rollbackQuietly(DbTransaction dbTx) {
        try {
            dbTx.rollback();
        } catch (RuntimeException e) {
            // the connection may be gone (or DbClient closed it after a failed statement): nothing to undo then
            LOG.log(Level.DEBUG, "rollback after a failed unit of work did not complete", e);
        }
    }

    @Override
    public void close() {
        if (ownsClient) db.close();
    }
}
