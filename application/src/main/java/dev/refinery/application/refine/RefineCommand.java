package dev.refinery.application.refine;

import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.auth.Principal;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.StorableText;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.idempotency.IdempotencyPolicy;
import dev.refinery.domain.Digest;
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
    public static final int MAX_MESSAGE_LENGTH = 10_000;

    public RefineCommand {
        if (branch == null || caller == null) throw new IllegalArgumentException("branch and author are required");
        message = message == null ? "" : message;
        if (message.length() > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("message is longer than " + MAX_MESSAGE_LENGTH + " characters");
        }
        StorableText.require("message", message);
        idempotencyKey = IdempotencyPolicy.key(idempotencyKey);
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

    /** The request's digest (see {@link IdempotencyPolicy}): every field but the key and the author. */
    public Digest requestDigest() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("branch", branch.value());
        o.put("message", message);
        o.set("targets", refs(targets));
        o.set("instructions", refs(instructions));
        o.set("budgets", refs(budgets));
        o.put("dryRun", dryRun);
        ArrayNode outputs = o.putArray("vibes");
        vibes.forEach(v -> outputs.add(v.toJson()));
        return IdempotencyPolicy.digest("refine", o);
    }

    static ArrayNode refs(List<?> refs) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        refs.forEach(r -> a.add(r.toString()));
        return a;
    }
}
