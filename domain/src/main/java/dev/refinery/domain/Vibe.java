package dev.refinery.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One immutable revision of a vibe. {@code branches} lists the branches this revision is visible
 * on (its own, plus the targets of fast-forward merges); nothing else ever changes.
 */
public record Vibe(
        VibeRef ref,
        Kind kind,
        List<BranchName> branches,
        VibeRef authorRef,
        Optional<VibeRef> prototypeRef,
        long refinementId,
        JsonNode context,
        JsonNode schema,
        JsonNode solution,
        List<VibeRef> schemaRefs,
        Digest digest,
        Instant createdAt) {

    public Vibe {
        if (ref == null || kind == null || authorRef == null || prototypeRef == null || context == null
                || schema == null || solution == null || digest == null || createdAt == null) {
            throw new IllegalArgumentException("every field of a vibe is required (prototypeRef may be empty)");
        }
        branches = List.copyOf(branches);
        schemaRefs = List.copyOf(schemaRefs);
        context = context.deepCopy();
        schema = schema.deepCopy();
        solution = solution.deepCopy();
    }

    /** A copy: a vibe never changes, whatever its reader does with the tree. */
    @Override
    public JsonNode context() { return context.deepCopy(); }

    /** A copy: a vibe never changes, whatever its reader does with the tree. */
    @Override
    public JsonNode schema() { return schema.deepCopy(); }

    /** A copy: a vibe never changes, whatever its reader does with the tree. */
    @Override
    public JsonNode solution() { return solution.deepCopy(); }

    public VibeId id() { return ref.id(); }

    public BranchName branch() { return ref.branch(); }

    public Revision revision() { return ref.revision(); }

    public Vibe withBranches(List<BranchName> visibleOn) {
        return new Vibe(ref, kind, visibleOn, authorRef, prototypeRef, refinementId, context, schema, solution,
                schemaRefs, digest, createdAt);
    }
}
