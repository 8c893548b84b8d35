package dev.refinery.application.refine;

import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.idempotency.IdempotencyPolicy;
import dev.refinery.application.idempotency.IdempotencyPolicy.Repeat;
import dev.refinery.application.port.DuplicateWriteException;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;
import dev.refinery.domain.Visibility;
import dev.refinery.domain.schema.SchemaResolver;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** See {@link MergeUseCase}. */
public final class MergeService implements MergeUseCase {
    private static final int ATTEMPTS = 3;

    private final VibeLedger ledger;
    private final Clock clock;
    private final SchemaResolver resolver;
    private final SchemaValidator validator;
    private final BranchWritePolicy branchWrites;

    public MergeService(VibeLedger ledger, Clock clock, SchemaResolver resolver, SchemaValidator validator) {
        this(ledger, clock, resolver, validator, BranchWritePolicy.PROTECTING_MAIN);
    }

    /** @param branchWrites who may write which branch: a merge writes its target */
    public MergeService(VibeLedger ledger, Clock clock, SchemaResolver resolver, SchemaValidator validator,
                        BranchWritePolicy branchWrites) {
        this.branchWrites = branchWrites;
        this.ledger = ledger;
        this.clock = clock;
        this.resolver = resolver;
        this.validator = validator;
    }

    @Override
    public MergeOutcome merge(MergeCommand command) {
        Optional<BranchWritePolicy.Refusal> refused = branchWrites.check(command.caller(), command.target());
        if (refused.isPresent()) return new MergeOutcome.Forbidden(refused.get());
        for (int attempt = 1; ; attempt++) {
            try {
                return ledger.inTransaction(tx -> merge(tx, command));
            } catch (DuplicateWriteException e) {
                if (attempt == ATTEMPTS) throw e;
            }
        }
    }

    private MergeOutcome merge(LedgerTransaction tx, MergeCommand command) {
        Optional<Digest> requestDigest = Optional.empty();
        if (command.idempotencyKey().isPresent()) {
            String key = command.idempotencyKey().get();
            Digest digest = command.requestDigest();
            requestDigest = Optional.of(digest);
            Optional<IdempotencyPolicy.Prior> prior =
                    IdempotencyPolicy.priorRefinement(tx, command.author(), key, RefinementKind.MERGE, digest);
            if (prior.isPresent()) {
                Refinement first = prior.get().first();
                return prior.get().repeat() == Repeat.RETRY ? new MergeOutcome.Replayed(first)
                        : new MergeOutcome.KeyReused(key, first);
            }
        }
        BranchName source = command.source();
        BranchName target = command.target();
        if (tx.branch(source).isEmpty()) return new MergeOutcome.NotFound("branch " + source);
        if (tx.branch(target).isEmpty()) return new MergeOutcome.NotFound("branch " + target);
        Optional<Vibe> author = tx.vibe(command.author());
        if (author.isEmpty()) return new MergeOutcome.NotFound("author " + command.author());
        if (author.get().kind() != Kind.ROLE) {
            return new MergeOutcome.Invalid(List.of(new Violation("", "the author is not a ROLE")));
        }
        // No write to the target slips between our reads and our write. Only the ids whose entries the source sees
        // and the target does not can bring anything: every other id's source head is visible on the target.
        tx.lockBranchExclusively(target);
        List<VibeId> changed = tx.idsSeenOnlyOn(source, target);
        Map<VibeId, VibeRef> sourceHeads = tx.headRefs(source, changed);
        Map<VibeId, VibeRef> targetHeads = tx.headRefs(target, changed);

        // what each id needs, decided with a handful of statements whatever the number of ids
        Set<VibeRef> sourceHeadsOnTarget = tx.visibleOf(target, sourceHeads.values());
        Set<VibeRef> targetHeadsOnSource = tx.visibleOf(source, targetHeads.values());
        Map<VibeId, Integer> forwardAfter = new LinkedHashMap<>();  // ids to fast-forward, past the target's revision
        List<MergeOutcome.Conflict> conflicts = new ArrayList<>();
        for (Map.Entry<VibeId, VibeRef> e : sourceHeads.entrySet()) {
            VibeId id = e.getKey();
            VibeRef s = e.getValue();
            VibeRef t = targetHeads.get(id);
            if (s.equals(t) || sourceHeadsOnTarget.contains(s)) continue;  // same, or the target is ahead
            if (t == null || targetHeadsOnSource.contains(t)) {
                forwardAfter.put(id, t == null ? 0 : t.revision().value());
            } else {
                conflicts.add(new MergeOutcome.Conflict(id, s, t));
            }
        }
        // each such id's revisions past the target's head, in order, but those the target already sees
        Map<VibeId, List<VibeRef>> histories = tx.historyRefs(source, forwardAfter.keySet());
        List<VibeRef> newer = new ArrayList<>();
        forwardAfter.forEach((id, after) -> histories.getOrDefault(id, List.of()).stream()
                .filter(r -> r.revision().value() > after).sorted().forEach(newer::add));
        Set<VibeRef> onTarget = tx.visibleOf(target, newer);
        List<VibeRef> fastForward = newer.stream().filter(r -> !onTarget.contains(r)).toList();

        List<Violation> violations = new ArrayList<>();
        command.resolutions().keySet().stream()
                .filter(id -> conflicts.stream().noneMatch(c -> c.id().equals(id)))
                .sorted()
                .forEach(id -> violations.add(new Violation("/resolutions/" + Violation.escape(id.value()),
                        "there is no conflict on " + id + " to resolve")));
        List<MergeOutcome.Conflict> unresolved = conflicts.stream()
                .filter(c -> !command.resolutions().containsKey(c.id())).toList();
        if (!violations.isEmpty()) return new MergeOutcome.Invalid(violations);
        if (!unresolved.isEmpty()) return new MergeOutcome.Conflicts(unresolved);

        OutputPreparer preparer = new OutputPreparer(tx, target, resolver, validator);
        List<OutputPreparer.Prepared> toWrite = new ArrayList<>();
        for (MergeOutcome.Conflict c : conflicts) {
            Optional<VibeDraft> draft = switch (command.resolutions().get(c.id())) {
                case Resolution.TakeTarget ignored -> Optional.empty();
                case Resolution.TakeSource ignored -> Optional.of(copyOf(tx.vibe(c.source()).orElseThrow()));
                case Resolution.Write w -> Optional.of(w.draft());
            };
            if (draft.isEmpty()) continue;
            String at = "/resolutions/" + Violation.escape(c.id().value());
            preparer.prepare(draft.get(), tx.head(target, c.id(), Instant.MAX), at, violations)
                    .filter(p -> p.unchangedHead().isEmpty())
                    .ifPresent(toWrite::add);
        }
        if (!violations.isEmpty()) return new MergeOutcome.Invalid(violations);

        long refinementId = tx.nextRefinementId();
        Instant now = clock.instant();
        List<Vibe> written = toWrite.stream()
                .map(p -> p.toRefined(command.author(), refinementId, now).vibe()).toList();
        List<Visibility> visibilities = fastForward.stream()
                .map(ref -> new Visibility(ref, target, refinementId, now)).toList();
        List<VibeRef> outputs = new ArrayList<>(fastForward);
        written.forEach(v -> outputs.add(v.ref()));
        List<VibeRef> targets = new ArrayList<>();
        conflicts.forEach(c -> { targets.add(c.source()); targets.add(c.target()); });
        Refinement refinement = new Refinement(refinementId, target, command.author(), RefinementKind.MERGE,
                targets, List.of(), List.of(), outputs,
                command.message().isEmpty() ? "merge " + source + " into " + target : command.message(),
                command.idempotencyKey(), requestDigest, now);
        tx.append(refinement, written, visibilities);
        List<Vibe> refreshed = written.stream().map(v -> tx.vibe(v.ref()).orElse(v)).toList();
        return new MergeOutcome.Merged(refinement, fastForward, refreshed);
    }

    private static VibeDraft copyOf(Vibe v) {
        return new VibeDraft(v.id(), v.kind(), Optional.empty(), v.prototypeRef(), v.context(), v.schema(), v.solution());
    }
}
