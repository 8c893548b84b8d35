package dev.refinery.application.port;

import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.VibeRef;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The saga state store (table {@code saga_instances}, seed 003) inside the ledger's unit of work, so that a
 * run's result refine and the update that marks it COMPLETED commit together.
 *
 * <p>Columns: {@code id} ← {@link SagaInstance#id()}, {@code saga_type} ← {@code sagaType().toString()} (the
 * process ref), {@code current_state}, {@code status} ← {@link SagaStatus#name()}, {@code context} (JSONB),
 * {@code correlation_id}, {@code lock_version}, {@code created_at}, {@code updated_at}. Every row read carries
 * the stored {@code lock_version}. Timestamps are kept to the microsecond (PostgreSQL's precision).
 */
public interface SagaRecords {

    /**
     * Inserts a new saga as given (its {@code lockVersion} is normally 0).
     *
     * @throws DuplicateWriteException when a saga with that id exists
     */
    void insert(SagaInstance saga);

    /** The saga, read without locking. */
    Optional<SagaInstance> find(UUID id);

    /**
     * The saga, locked until the unit of work ends ({@code SELECT … FOR UPDATE}): another unit of work that
     * locks it waits. This is how every change of a saga starts.
     */
    Optional<SagaInstance> findForUpdate(UUID id);

    /**
     * Writes {@code currentState}, {@code status}, {@code context} and {@code updatedAt} of the saga with
     * {@code saga.id()} if its stored {@code lock_version} equals {@code saga.lockVersion()}, and sets the
     * stored {@code lock_version} to {@code saga.lockVersion() + 1}
     * ({@code UPDATE … WHERE id = ? AND lock_version = ?}). {@code sagaType}, {@code correlationId} and
     * {@code createdAt} never change. A store that keeps {@code updated_at} itself (a trigger) may write its own
     * clock's time instead of {@code saga.updatedAt()}.
     *
     * @return whether it was written: false when the saga is unknown or its version moved on
     */
    boolean update(SagaInstance saga);

    /**
     * The saga whose {@code context} holds {@code "author": author} and {@code "idempotencyKey": key} (keys are each
     * author's own; PostgreSQL keeps them unique). Callers hold {@link LedgerTransaction#lockIdempotencyKey} for it.
     */
    Optional<SagaInstance> findByIdempotencyKey(VibeRef author, String key);

    /**
     * Sagas ordered by id as PostgreSQL orders {@code uuid} (by unsigned bytes, which is the order of the lower-case
     * text form), with ids after {@code afterId} (exclusive), of that status and saga type when given, and when
     * {@code notUpdatedSince} is given, with {@code updatedAt} before it. At most {@code limit}.
     */
    List<SagaInstance> list(Optional<SagaStatus> status, Optional<VibeRef> sagaType, Optional<Instant> notUpdatedSince,
                            Optional<UUID> afterId, int limit);
}
