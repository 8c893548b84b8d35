package dev.refinery.application.port;

/** A write lost a race for a unique key (an idempotency key, a revision): retry the unit of work. */
public class DuplicateWriteException extends RuntimeException {
    public DuplicateWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
