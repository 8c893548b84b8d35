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
    private final boolean ownsClient;

    /** A ledger over a client that the caller owns and closes. */
    public PostgresVibeLedger(DbClient db) {
        this(db, false);
    }

    private PostgresVibeLedger(DbClient db, boolean ownsClient) {
        this.db = db;
        this.ownsClient = ownsClient;
    }

    /** A ledger with its own connection pool, closed by {@link #close()}. */
    public static PostgresVibeLedger create(PostgresLedgerConfig config) {
        return new PostgresVibeLedger(config.createDbClient(), true);
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
            dbTx = db.transaction();
        } catch (RuntimeException e) {
            throw SqlFailures.translate(e);
        }
        boolean ended = false;
        try {
            if (readOnly) {
                // one snapshot for every statement of the unit of work
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
