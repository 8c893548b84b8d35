package dev.refinery.application.refine;

import dev.refinery.application.auth.Principal;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.StorableText;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.idempotency.IdempotencyPolicy;
import dev.refinery.domain.Digest;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;

import java.util.Map;
import java.util.Optional;

/**
 * Merge {@code source} into {@code target} as {@code caller} (its role is the author), settling conflicts with
 * {@code resolutions}. The merge writes {@code target} only ({@link dev.refinery.application.auth.BranchWritePolicy}).
 */
public record MergeCommand(BranchName source, BranchName target, Principal caller, String message,
                           Map<VibeId, Resolution> resolutions, Optional<String> idempotencyKey) {
    public MergeCommand {
        if (source == null || target == null || caller == null) {
            throw new IllegalArgumentException("source, target and author are required");
        }
        if (source.equals(target)) throw new IllegalArgumentException("source and target are the same branch");
        message = message == null ? "" : message;
        StorableText.require("message", message);
        resolutions = resolutions == null ? Map.of() : Map.copyOf(resolutions);
        resolutions.forEach((id, r) -> {
            if (r instanceof Resolution.Write w && !w.draft().id().equals(id)) {
                throw new IllegalArgumentException("the resolution of " + id + " writes id " + w.draft().id());
            }
        });
        idempotencyKey = IdempotencyPolicy.key(idempotencyKey);
    }

    /** A merge by a caller inside the process ({@link Principal#unrestricted}). */
    public MergeCommand(BranchName source, BranchName target, VibeRef author, String message,
                        Map<VibeId, Resolution> resolutions, Optional<String> idempotencyKey) {
        this(source, target, author == null ? null : Principal.unrestricted(author), message, resolutions, idempotencyKey);
    }

    /** The caller's role: the author of the merge. */
    public VibeRef author() {
        return caller.role();
    }

    /** The request's digest (see {@link IdempotencyPolicy}): every field but the key and the author. */
    public Digest requestDigest() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("source", source.value());
        o.put("target", target.value());
        o.put("message", message);
        ObjectNode settled = o.putObject("resolutions");
        resolutions.forEach((id, r) -> {
            switch (r) {
                case Resolution.TakeSource ignored -> settled.put(id.value(), "source");
                case Resolution.TakeTarget ignored -> settled.put(id.value(), "target");
                case Resolution.Write w -> settled.set(id.value(), w.draft().toJson());
            }
        });
        return IdempotencyPolicy.digest("merge", o);
    }
}
