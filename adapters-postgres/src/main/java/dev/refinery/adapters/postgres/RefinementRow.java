package dev.refinery.adapters.postgres;

import dev.refinery.domain.BranchName;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A row of {@code refinements} as selected by {@link #COLUMNS}. */
record RefinementRow(long id, String branch, String authorRef, String kind, List<String> targetRefs,
                     List<String> instructionRefs, List<String> budgetRefs, List<String> outputRefs, String message,
                     String idempotencyKey, String requestDigest, Instant createdAt) {

    static final String COLUMNS = "r.id, r.branch, r.author_ref, r.kind, "
            + "array_to_json(r.target_refs)::text AS target_refs, "
            + "array_to_json(r.instruction_refs)::text AS instruction_refs, "
            + "array_to_json(r.budget_refs)::text AS budget_refs, "
            + "array_to_json(r.output_refs)::text AS output_refs, r.message, r.idempotency_key, r.request_digest, r.created_at";

    static RefinementRow from(DbRow row) {
        return new RefinementRow(Rows.number(row, "id"), Rows.text(row, "branch"), Rows.text(row, "author_ref"),
                Rows.text(row, "kind"), Rows.strings(row, "target_refs"), Rows.strings(row, "instruction_refs"),
                Rows.strings(row, "budget_refs"), Rows.strings(row, "output_refs"), Rows.text(row, "message"),
                Rows.text(row, "idempotency_key"), Rows.text(row, "request_digest"), Rows.instant(row, "created_at"));
    }

    static RefinementRow from(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new RefinementRow(rs.getLong("id"), rs.getString("branch"), rs.getString("author_ref"), rs.getString("kind"),
                Json.strings(rs.getString("target_refs")), Json.strings(rs.getString("instruction_refs")),
                Json.strings(rs.getString("budget_refs")), Json.strings(rs.getString("output_refs")),
                rs.getString("message"), rs.getString("idempotency_key"), rs.getString("request_digest"),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }

    Refinement toDomain() {
        return new Refinement(id, new BranchName(branch), VibeRef.parse(authorRef), RefinementKind.fromWireName(kind),
                refs(targetRefs), refs(instructionRefs), refs(budgetRefs), refs(outputRefs), message,
                Optional.ofNullable(idempotencyKey), Optional.ofNullable(requestDigest).map(Digest::new), createdAt);
    }

    static String[] texts(List<VibeRef> refs) {
        return refs.stream().map(VibeRef::toString).toArray(String[]::new);
    }

    private static List<VibeRef> refs(List<String> texts) {
        return texts.stream().map(VibeRef::parse).toList();
    }
}
