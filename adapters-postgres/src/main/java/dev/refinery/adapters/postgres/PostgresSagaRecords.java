package dev.refinery.adapters.postgres;

import dev.refinery.application.port.SagaRecords;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code saga_instances} in the unit of work's transaction. Its times are UTC {@code TIMESTAMP}s: bound and read
 * {@code AT TIME ZONE 'UTC'}, so the session's time zone never shifts them; {@code updated_at} is set by the
 * table's trigger on every update.
 */
final class PostgresSagaRecords implements SagaRecords {
    private static final String COLUMNS = """
            s.id::TEXT AS id, s.saga_type, s.current_state, s.status, s.context::TEXT AS context, s.correlation_id,
            s.lock_version, s.created_at AT TIME ZONE 'UTC' AS created_at, s.updated_at AT TIME ZONE 'UTC' AS updated_at""";
    private static final String UTC = "(CAST(? AS TIMESTAMPTZ) AT TIME ZONE 'UTC')";

    private final DbExecute db;

    PostgresSagaRecords(DbExecute db) {
        this.db = db;
    }

    @Override
    public void insert(SagaInstance saga) {
        db.insert("INSERT INTO saga_instances (id, saga_type, current_state, status, context, correlation_id, "
                        + "lock_version, created_at, updated_at) VALUES (CAST(? AS UUID), ?, ?, ?, ?::JSONB, ?, ?, "
                        + UTC + ", " + UTC + ")",
                saga.id().toString(), saga.sagaType().toString(), saga.currentState(), saga.status().name(),
                Json.write(saga.context()), saga.correlationId(), saga.lockVersion(), Rows.timestamp(saga.createdAt()),
                Rows.timestamp(saga.updatedAt()));
    }

    @Override
    public Optional<SagaInstance> find(UUID id) {
        return db.get("SELECT " + COLUMNS + " FROM saga_instances s WHERE s.id = CAST(? AS UUID)", id.toString())
                .map(PostgresSagaRecords::saga);
    }

    @Override
    public Optional<SagaInstance> findForUpdate(UUID id) {
        return db.get("SELECT " + COLUMNS + " FROM saga_instances s WHERE s.id = CAST(? AS UUID) FOR UPDATE",
                id.toString()).map(PostgresSagaRecords::saga);
    }

    @Override
    public boolean update(SagaInstance saga) {
        return db.update("UPDATE saga_instances SET current_state = ?, status = ?, context = ?::JSONB, updated_at = "
                        + UTC + ", lock_version = lock_version + 1 WHERE id = CAST(? AS UUID) AND lock_version = ?",
                saga.currentState(), saga.status().name(), Json.write(saga.context()), Rows.timestamp(saga.updatedAt()),
                saga.id().toString(), saga.lockVersion()) == 1;
    }

    @Override
    public Optional<SagaInstance> findByIdempotencyKey(VibeRef author, String key) {
        // on saga_instances_idempotency_key_idx, unique per author and key
        return db.get("SELECT " + COLUMNS + " FROM saga_instances s WHERE (s.context ->> 'author') = ? "
                        + "AND (s.context ->> 'idempotencyKey') = ?", author.toString(), key)
                .map(PostgresSagaRecords::saga);
    }

    @Override
    public List<SagaInstance> list(Optional<SagaStatus> status, Optional<VibeRef> sagaType,
                                   Optional<Instant> notUpdatedSince, Optional<UUID> afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM saga_instances s WHERE TRUE");
        List<Object> params = new ArrayList<>();
        status.ifPresent(s -> {
            sql.append(" AND s.status = ?");
            params.add(s.name());
        });
        sagaType.ifPresent(t -> {
            sql.append(" AND s.saga_type = ?");
            params.add(t.toString());
        });
        notUpdatedSince.ifPresent(t -> {
            sql.append(" AND s.updated_at < ").append(UTC);
            params.add(Rows.timestamp(t));
        });
        afterId.ifPresent(a -> {
            sql.append(" AND s.id > CAST(? AS UUID)");
            params.add(a.toString());
        });
        sql.append(" ORDER BY s.id LIMIT ?");
        params.add(limit);
        try (Stream<DbRow> rows = db.query(sql.toString(), params.toArray())) {
            return rows.map(PostgresSagaRecords::saga).toList();
        }
    }

    private static SagaInstance saga(DbRow row) {
        String correlation = Rows.text(row, "correlation_id");
        return new SagaInstance(UUID.fromString(Rows.text(row, "id")), VibeRef.parse(Rows.text(row, "saga_type")),
                Rows.text(row, "current_state"), SagaStatus.valueOf(Rows.text(row, "status")),
                Json.read(Rows.text(row, "context")), correlation == null ? "" : correlation,
                (int) Rows.number(row, "lock_version"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
