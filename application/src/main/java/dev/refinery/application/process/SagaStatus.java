package dev.refinery.application.process;

/** Where a run stands as a whole; every status but RUNNING is final. */
public enum SagaStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this != RUNNING;
    }
}
