package dev.refinery.application.port;

import java.util.UUID;

/**
 * What runs a process's steps durably (Temporal): one execution per saga, identified by the saga id. Both
 * calls are safe to repeat.
 */
public interface ProcessEngine {

    /**
     * Starts executing the saga's run from its recorded state, unless an execution for it is running already
     * (then nothing happens).
     *
     * @throws RuntimeException when the engine cannot be reached; the saga stays RUNNING and is started again
     *                          by the next resume
     */
    void start(UUID sagaId);

    /** Asks the running execution of the saga to cancel (its compensations run); nothing when none runs. */
    void cancel(UUID sagaId);
}
