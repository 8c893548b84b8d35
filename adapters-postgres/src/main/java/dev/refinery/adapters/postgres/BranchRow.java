package dev.refinery.adapters.postgres;

import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.Optional;

/** A row of {@code branches} as selected by {@link #COLUMNS}. */
record BranchRow(String name, String base, long forkRefinementId, Instant createdAt, String createdBy) {

    static final String COLUMNS = "b.name, b.base, b.fork_refinement_id, b.created_at, b.created_by";

    static BranchRow from(DbRow row) {
        return new BranchRow(Rows.text(row, "name"), Rows.text(row, "base"), Rows.number(row, "fork_refinement_id"),
                Rows.instant(row, "created_at"), Rows.text(row, "created_by"));
    }

    Branch toDomain() {
        return new Branch(new BranchName(name), Optional.ofNullable(base).map(BranchName::new), forkRefinementId,
                createdAt, VibeRef.parse(createdBy));
    }
}
