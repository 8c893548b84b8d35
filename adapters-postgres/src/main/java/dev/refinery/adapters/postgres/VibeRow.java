package dev.refinery.adapters.postgres;

import dev.refinery.domain.BranchName;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A row of {@code vibes} as selected by {@link #COLUMNS}. */
record VibeRow(String ref, String kind, List<String> branches, String authorRef, String prototypeRef,
               long refinementId, String context, String schema, String solution, List<String> schemaRefs,
               String digest, Instant createdAt) {

    /** The select list for a {@code vibes} table aliased {@code v}. */
    static final String COLUMNS = "v.ref, v.kind, array_to_json(v.branches)::text AS branches, v.author_ref, "
            + "v.prototype_ref, v.refinement_id, v.context::text AS context, v.schema::text AS schema, "
            + "v.solution::text AS solution, array_to_json(v.schema_refs)::text AS schema_refs, v.digest, v.created_at";

    static VibeRow from(DbRow row) {
        return new VibeRow(Rows.text(row, "ref"), Rows.text(row, "kind"), Rows.strings(row, "branches"),
                Rows.text(row, "author_ref"), Rows.text(row, "prototype_ref"), Rows.number(row, "refinement_id"),
                Rows.text(row, "context"), Rows.text(row, "schema"), Rows.text(row, "solution"),
                Rows.strings(row, "schema_refs"), Rows.text(row, "digest"), Rows.instant(row, "created_at"));
    }

    Vibe toDomain() {
        return new Vibe(VibeRef.parse(ref), Kind.parse(kind), branches.stream().map(BranchName::new).toList(),
                VibeRef.parse(authorRef), Optional.ofNullable(prototypeRef).map(VibeRef::parse), refinementId,
                Json.read(context), Json.read(schema), Json.read(solution),
                schemaRefs.stream().map(VibeRef::parse).toList(), new Digest(digest), createdAt);
    }
}
