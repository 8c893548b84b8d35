package dev.refinery.application.refine;

import dev.refinery.domain.BranchName;
import dev.refinery.domain.StorableText;
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
        StorableText.require("message", message);
        resolutions = resolutions == null ? Map.of() : Map.copyOf(resolutions);
        resolutions.forEach((id, r) -> {
            if (r instanceof Resolution.Write w && !w.draft().id().equals(id)) {
                throw new IllegalArgumentException("the resolution of " + id + " writes id " + w.draft().id());
            }
        });
        idempotencyKey = idempotencyKey == null ? Optional.empty() : idempotencyKey.filter(k -> !k.isBlank());
        idempotencyKey.ifPresent(k -> StorableText.require("idempotencyKey", k));
    }
}
