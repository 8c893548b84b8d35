package dev.refinery.application.port;

/**
 * The ledger of vibes, refinements and branches. Every use of it is one unit of work: one
 * database transaction in a database adapter, one critical section in memory. A unit of work
 * commits when {@code work} returns normally and the transaction was not marked rollback-only,
 * and rolls back when it throws or was so marked.
 *
 * <p>Adapters throw {@link LedgerUnavailableException} when the store cannot be reached; the
 * caller may retry the whole unit of work.
 */
public interface VibeLedger {

    <T> T inTransaction(UnitOfWork<T> work);

    /** A unit of work that only reads; adapters may run it on a read-only snapshot. */
    default <T> T read(UnitOfWork<T> work) {
        return inTransaction(work);
    }

    @FunctionalInterface
    interface UnitOfWork<T> {
        T run(LedgerTransaction tx);
    }
}
