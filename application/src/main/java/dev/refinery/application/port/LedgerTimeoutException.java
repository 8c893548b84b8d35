package dev.refinery.application.port;

/**
 * The ledger's store stopped a piece of work at one of its time bounds (a statement that ran too long, a lock
 * waited for too long, a transaction left idle): the work is rolled back and may be tried again.
 */
public class LedgerTimeoutException extends LedgerUnavailableException {
    public LedgerTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
