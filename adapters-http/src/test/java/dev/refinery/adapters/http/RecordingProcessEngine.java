package dev.refinery.adapters.http;

import dev.refinery.application.port.ProcessEngine;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A process engine that runs nothing: it only notes what it was asked. Runs stay RUNNING until a test moves
 * them on through the application's run use cases. (The real engine is in adapters-temporal, which this
 * adapter must not depend on.)
 */
final class RecordingProcessEngine implements ProcessEngine {
    private final List<UUID> started = new CopyOnWriteArrayList<>();
    private final List<UUID> cancelled = new CopyOnWriteArrayList<>();

    @Override
    public void start(UUID sagaId) {
        started.add(sagaId);
    }

    @Override
    public void cancel(UUID sagaId) {
        cancelled.add(sagaId);
    }

    /** Every start asked for, in order, repeats included. */
    List<UUID> started() {
        return List.copyOf(started);
    }

    /** Every cancel asked for, in order, repeats included. */
    List<UUID> cancelled() {
        return List.copyOf(cancelled);
    }
}
