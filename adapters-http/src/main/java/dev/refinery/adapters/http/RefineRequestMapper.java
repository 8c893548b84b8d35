package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.idempotency.IdempotencyPolicy;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.application.auth.Principal;
import dev.refinery.domain.VibeRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The refine body of API.md → a {@link RefineCommand} by the caller (its role is the author). */
final class RefineRequestMapper {
    private static final Set<String> FIELDS = Set.of("branch", "message", "idempotencyKey", "targets",
            "instructions", "budgets", "dryRun", "vibes");
    private static final Set<String> VIBE_FIELDS = Set.of("id", "kind", "base", "prototype", "context", "schema",
            "solution");
    private static final Set<String> RESOLUTION_FIELDS = Set.of("id", "kind", "prototype", "context", "schema",
            "solution");

    private final int maxOutputs;

    RefineRequestMapper(int maxOutputs) {
        this.maxOutputs = maxOutputs;
    }

    /** The body's {@code idempotencyKey}, by {@link IdempotencyPolicy}'s rule (refines, merges and process starts). */
    static Optional<String> idempotencyKey(BodyReader in, ObjectNode o) {
        Optional<String> key = in.storableString(o, "", "idempotencyKey").filter(k -> !k.isEmpty());
        Optional<String> problem = key.flatMap(IdempotencyPolicy::problem);
        problem.ifPresent(p -> in.invalid("/idempotencyKey", p));
        return problem.isPresent() ? Optional.empty() : key;
    }

    RefineCommand command(JsonNode body, Principal caller) {
        BodyReader in = new BodyReader();
        ObjectNode o = in.root(body, FIELDS);
        Optional<BranchName> branch = in.requiredParsed(o, "", "branch", BranchName::parse);
        String message = in.storableString(o, "", "message").orElse("");
        if (message.length() > RefineCommand.MAX_MESSAGE_LENGTH) {
            in.invalid("/message", "is longer than " + RefineCommand.MAX_MESSAGE_LENGTH + " characters");
        }
        Optional<String> key = idempotencyKey(in, o);
        List<VibeRef> targets = in.parsedList(o, "", "targets", VibeRef::parse);
        List<VibeRef> instructions = in.parsedList(o, "", "instructions", VibeRef::parse);
        List<VibeRef> budgets = in.parsedList(o, "", "budgets", VibeRef::parse);
        boolean dryRun = in.bool(o, "", "dryRun").orElse(false);

        List<VibeDraft> drafts = new ArrayList<>();
        if (o.get("vibes") == null || o.get("vibes").isNull()) {
            in.wrongShape("/vibes", "is required");
        }
        List<JsonNode> vibes = in.array(o, "", "vibes");
        if (o.path("vibes").isArray() && vibes.isEmpty()) in.invalid("/vibes", "must hold at least one output");
        if (vibes.size() > maxOutputs) {
            in.invalid("/vibes", "holds " + vibes.size() + " outputs, at most " + maxOutputs + " are allowed");
        } else {
            Map<VibeId, Integer> seen = new HashMap<>();
            for (int i = 0; i < vibes.size(); i++) {
                String at = "/vibes/" + i;
                int index = i;
                draft(in, vibes.get(i), at, Optional.empty()).ifPresent(d -> {
                    Integer first = seen.putIfAbsent(d.id(), index);
                    if (first != null) {
                        in.invalid(at + "/id", "id " + d.id() + " is already written by /vibes/" + first
                                + ": one refinement writes an id once");
                    } else {
                        drafts.add(d);
                    }
                });
            }
        }
        in.throwIfAnything();
        try {
            return new RefineCommand(branch.orElseThrow(), caller, message, key, targets, instructions, budgets, dryRun,
                    drafts);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage(), List.of());
        }
    }

    /**
     * One vibe body. In a refine ({@code resolving} empty) it names its {@code id} and may name the
     * {@code base} it refines; as a merge resolution of an id it has no base and its id, if given, is that id.
     */
    static Optional<VibeDraft> draft(BodyReader in, JsonNode node, String at, Optional<VibeId> resolving) {
        Optional<ObjectNode> vibe = in.object(node, at, resolving.isEmpty() ? VIBE_FIELDS : RESOLUTION_FIELDS);
        if (vibe.isEmpty()) return Optional.empty();
        ObjectNode v = vibe.get();
        Optional<VibeId> id = resolving.isEmpty()
                ? in.requiredParsed(v, at, "id", VibeId::parse)
                : in.parsed(v, at, "id", VibeId::parse).or(() -> present(v, "id") ? Optional.empty() : resolving);
        if (resolving.isPresent() && id.isPresent() && !id.equals(resolving)) {
            in.invalid(at + "/id", "names id " + id.get() + ", but this resolves " + resolving.get());
            return Optional.empty();
        }
        Optional<Kind> kind = in.requiredParsed(v, at, "kind", Kind::parse);
        Optional<VibeRef> base = resolving.isEmpty() ? in.parsed(v, at, "base", VibeRef::parse) : Optional.empty();
        Optional<VibeRef> prototype = in.parsed(v, at, "prototype", VibeRef::parse);
        boolean unreadable = (present(v, "base") && base.isEmpty()) || (present(v, "prototype") && prototype.isEmpty());
        if (id.isEmpty() || kind.isEmpty() || unreadable) return Optional.empty();
        return Optional.of(new VibeDraft(id.get(), kind.get(), base, prototype,
                in.any(v, "context"), in.any(v, "schema"), in.any(v, "solution")));
    }

    private static boolean present(ObjectNode v, String field) {
        return v.get(field) != null && !v.get(field).isNull();
    }
}
