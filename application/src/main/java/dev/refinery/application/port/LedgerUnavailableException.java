package dev.refinery.application.port;

/** The ledger's store cannot be reached right now (connection lost, failover, pool exhausted). */
public class LedgerUnavailableException extends RuntimeException {
    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
