package dev.refinery.application.refine;

import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.auth.Principal;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.StorableText;
import dev.refinery.domain.VibeRef;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request to write one refinement. {@code caller} is the authenticated caller, never taken from the
 * request body: its role is the author, and {@link BranchWritePolicy} decides whether it may write {@code branch}.
 */
public record RefineCommand(BranchName branch, Principal caller, String message, Optional<String> idempotencyKey,
                            List<VibeRef> targets, List<VibeRef> instructions, List<VibeRef> budgets,
                            boolean dryRun, List<VibeDraft> vibes) {
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    public static final int MAX_MESSAGE_LENGTH = 10_000;

    public RefineCommand {
        if (branch == null || caller == null) throw new IllegalArgumentException("branch and author are required");
        message = message == null ? "" : message;
        if (message.length() > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("message is longer than " + MAX_MESSAGE_LENGTH + " characters");
        }
        StorableText.require("message", message);
        idempotencyKey = idempotencyKey == null ? Optional.empty() : idempotencyKey.filter(k -> !k.isEmpty());
        idempotencyKey.ifPresent(k -> StorableText.require("idempotencyKey", k));
        idempotencyKey.ifPresent(k -> {
            if (k.length() > MAX_IDEMPOTENCY_KEY_LENGTH || k.isBlank()) {
                throw new IllegalArgumentException("idempotencyKey must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                        + " characters and not blank");
            }
        });
        targets = targets == null ? List.of() : List.copyOf(targets);
        instructions = instructions == null ? List.of() : List.copyOf(instructions);
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
        if (vibes == null || vibes.isEmpty()) throw new IllegalArgumentException("vibes must hold at least one output");
        vibes = List.copyOf(vibes);
        Set<Object> ids = new HashSet<>();
        for (VibeDraft v : vibes) {
            if (!ids.add(v.id())) {
                throw new IllegalArgumentException("vibes holds id " + v.id() + " twice: one refinement writes an id once");
            }
        }
    }

    /** A refine by a caller inside the process ({@link Principal#unrestricted}): the command line, a run's result. */
    public RefineCommand(BranchName branch, VibeRef author, String message, Optional<String> idempotencyKey,
                         List<VibeRef> targets, List<VibeRef> instructions, List<VibeRef> budgets,
                         boolean dryRun, List<VibeDraft> vibes) {
        this(branch, author == null ? null : Principal.unrestricted(author), message, idempotencyKey, targets,
                instructions, budgets, dryRun, vibes);
    }

    /** The caller's role: the author of what is written. */
    public VibeRef author() {
        return caller.role();
    }
}
