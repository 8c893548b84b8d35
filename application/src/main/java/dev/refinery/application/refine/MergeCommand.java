package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.idempotency.IdempotencyPolicy;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Digest;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;

import java.util.Map;
import java.util.Optional;

/** Merge {@code source} into {@code target}, as {@code author}, settling conflicts with {@code resolutions}. */
public record MergeCommand(BranchName source, BranchName target, VibeRef author, String message,
                           Map<VibeId, Resolution> resolutions, Optional<String> idempotencyKey) {
    public MergeCommand {
        if (source == null || target == null || author == null) {
            throw new IllegalArgumentException("source, target and author are required");
        }
        if (source.equals(target)) throw new IllegalArgumentException("source and target are the same branch");
        message = message == null ? "" : message;
        if (message.indexOf('\u0000') >= 0) throw new IllegalArgumentException("message may not contain the NUL character");
        resolutions = resolutions == null ? Map.of() : Map.copyOf(resolutions);
        resolutions.forEach((id, r) -> {
            if (r instanceof Resolution.Write w && !w.draft().id().equals(id)) {
                throw new IllegalArgumentException("the resolution of " + id + " writes id " + w.draft().id());
            }
        });
        idempotencyKey = IdempotencyPolicy.key(idempotencyKey);
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
