package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.idempotency.IdempotencyPolicy;
import dev.refinery.application.idempotency.IdempotencyPolicy.Repeat;
import dev.refinery.application.port.DuplicateWriteException;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.BranchVisibility;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;
import dev.refinery.domain.process.InternalActivities;
import dev.refinery.domain.schema.ReferenceLookup;
import dev.refinery.domain.schema.SchemaClosure;
import dev.refinery.domain.schema.SchemaReferences;
import dev.refinery.domain.schema.SchemaResolver;
import dev.refinery.domain.schema.SchemaStamper;
import dev.refinery.domain.schema.StampResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The one way anything is written: see {@link RefineUseCase}. */
public final class RefineService implements RefineUseCase {
    /** Races lost on a unique key are retried this often before the failure surfaces. */
    private static final int ATTEMPTS = 3;

    private final VibeLedger ledger;
    private final Clock clock;
    private final SchemaResolver resolver;
    private final SchemaValidator validator;
    private final int maxOutputs;
    private final int dryRunImpactLimit;
    private final BranchWritePolicy branchWrites;
    private final InternalActivities internalActivities;

    /** The dependents a dry run checks per output id, unless told otherwise. */
    public static final int DEFAULT_DRY_RUN_IMPACT_LIMIT = 1_000;

    public RefineService(VibeLedger ledger, Clock clock, SchemaResolver resolver, SchemaValidator validator,
                         int maxOutputs) {
        this(ledger, clock, resolver, validator, maxOutputs, DEFAULT_DRY_RUN_IMPACT_LIMIT);
    }

    /**
     * @param dryRunImpactLimit the most dependents a dry run revalidates per output id: each costs a read of the
     *                          dependent and its closure and a validation, and a schema used by 100k vibes would
     *                          otherwise hold the request for minutes
     */
    public RefineService(VibeLedger ledger, Clock clock, SchemaResolver resolver, SchemaValidator validator,
                         int maxOutputs, int dryRunImpactLimit) {
        this(ledger, clock, resolver, validator, maxOutputs, dryRunImpactLimit, BranchWritePolicy.PROTECTING_MAIN,
                InternalActivities.NONE);
    }

    /**
     * @param branchWrites       who may write which branch
     * @param internalActivities the task queues and activity types no CAPABILITY vibe may name (422)
     */
    public RefineService(VibeLedger ledger, Clock clock, SchemaResolver resolver, SchemaValidator validator,
                         int maxOutputs, int dryRunImpactLimit, BranchWritePolicy branchWrites,
                         InternalActivities internalActivities) {
        if (dryRunImpactLimit < 1) throw new IllegalArgumentException("dryRunImpactLimit must be at least 1");
        this.ledger = ledger;
        this.clock = clock;
        this.resolver = resolver;
        this.validator = validator;
        this.maxOutputs = maxOutputs;
        this.dryRunImpactLimit = dryRunImpactLimit;
        this.branchWrites = branchWrites;
        this.internalActivities = internalActivities;
    }

    @Override
    public RefineOutcome refine(RefineCommand command) {
        Optional<BranchWritePolicy.Refusal> refused = branchWrites.check(command.caller(), command.branch());
        if (refused.isPresent()) return new RefineOutcome.Forbidden(refused.get());
        if (command.vibes().size() > maxOutputs) return tooManyOutputs(command);
        for (int attempt = 1; ; attempt++) {
            try {
                return ledger.inTransaction(tx -> refine(tx, command, RefinementKind.REFINE));
            } catch (DuplicateWriteException e) {
                if (attempt == ATTEMPTS) throw e;
            }
        }
    }

    /**
     * The same refine inside a unit of work the caller holds, so that other writes commit or roll back with
     * it (a process run's result and the saga update that marks it COMPLETED). No retry here: a
     * {@link DuplicateWriteException} reaches the caller, who retries its whole unit of work.
     */
    public RefineOutcome refine(LedgerTransaction tx, RefineCommand command, RefinementKind kind) {
        Optional<BranchWritePolicy.Refusal> refused = branchWrites.check(command.caller(), command.branch());
        if (refused.isPresent()) return new RefineOutcome.Forbidden(refused.get());
        if (command.vibes().size() > maxOutputs) return tooManyOutputs(command);
        return new Attempt(tx, command, kind).run();
    }

    private RefineOutcome tooManyOutputs(RefineCommand command) {
        return new RefineOutcome.Invalid(List.of(new Violation("/vibes",
                "holds " + command.vibes().size() + " outputs, at most " + maxOutputs + " are allowed")));
    }

    /** One try at a refine inside one unit of work. */
    private final class Attempt {
        private final LedgerTransaction tx;
        private final RefineCommand command;
        private final BranchName branch;
        private final OutputPreparer preparer;
        private final RefinementKind kind;

        Attempt(LedgerTransaction tx, RefineCommand command, RefinementKind kind) {
            this.tx = tx;
            this.command = command;
            this.kind = kind;
            this.branch = command.branch();
            this.preparer = new OutputPreparer(tx, command.branch(), resolver, validator, internalActivities);
        }

        RefineOutcome run() {
            // A run's result (kind PROCESS) keeps its key, the run's id, where no client writes: the run's saga,
            // locked and marked COMPLETED in this unit of work, makes it once; a client's key is never looked at.
            Optional<Digest> requestDigest = Optional.empty();
            if (command.idempotencyKey().isPresent() && kind != RefinementKind.PROCESS) {
                String key = command.idempotencyKey().get();
                Digest digest = command.requestDigest();
                requestDigest = Optional.of(digest);
                Optional<IdempotencyPolicy.Prior> prior =
                        IdempotencyPolicy.priorRefinement(tx, command.author(), key, kind, digest);
                if (prior.isPresent()) {
                    return prior.get().repeat() == Repeat.RETRY ? replay(prior.get().first())
                            : new RefineOutcome.KeyReused(key, prior.get().first());
                }
            }
            Optional<LedgerTransaction.WriteStart> start = tx.startWrite(branch,
                    command.vibes().stream().map(VibeDraft::id).sorted().toList(), command.author(), inputs());
            if (start.isEmpty()) return new RefineOutcome.NotFound("branch " + branch);

            Optional<RefineOutcome> refused = checkAuthorAndInputs(start.get());
            if (refused.isPresent()) return refused.get();

            List<Violation> violations = new ArrayList<>();
            List<OutputPreparer.Prepared> prepared = new ArrayList<>();
            // the refinement's id comes with the reads (one round trip less); a dry run takes none
            preparer.readAhead(command.vibes(), !command.dryRun());
            for (int i = 0; i < command.vibes().size(); i++) {
                VibeDraft draft = command.vibes().get(i);
                String at = "/vibes/" + i;
                Optional<Vibe> head = preparer.head(draft.id());
                if (draft.base().isPresent()) {
                    VibeRef base = draft.base().get();
                    if (!base.id().equals(draft.id())) {
                        violations.add(new Violation(at + "/base", "names id " + base.id() + ", not " + draft.id()));
                        continue;
                    }
                    if (tx.vibe(base).isEmpty()) return new RefineOutcome.NotFound("base " + base);
                    if (head.isEmpty() || !head.get().ref().equals(base)) {
                        return new RefineOutcome.StaleBase(draft.id(), base, head.map(Vibe::ref));
                    }
                }
                if (draft.prototype().isPresent() && tx.vibe(draft.prototype().get()).isEmpty()) {
                    return new RefineOutcome.NotFound("prototype " + draft.prototype().get());
                }
                preparer.prepare(draft, head, at, violations).ifPresent(prepared::add);
            }
            if (!violations.isEmpty()) return new RefineOutcome.Invalid(violations);

            if (command.dryRun()) {
                tx.setRollbackOnly();
                List<RefinedVibe> vibes = prepared.stream().map(p -> p.toRefined(command.author(), 0, clock.instant())).toList();
                return new RefineOutcome.Previewed(vibes, impactOf(prepared));
            }
            if (prepared.stream().allMatch(p -> p.unchangedHead().isPresent())) {
                return new RefineOutcome.Written(Optional.empty(), prepared.stream().map(p -> p.toRefined(command.author(), 0, null)).toList());
            }
            long refinementId = preparer.reservedRefinementId().orElseGet(tx::nextRefinementId);
            Instant now = clock.instant();
            List<RefinedVibe> refined = prepared.stream().map(p -> p.toRefined(command.author(), refinementId, now)).toList();
            List<Vibe> written = refined.stream().filter(r -> !r.unchanged()).map(RefinedVibe::vibe).toList();
            Refinement refinement = new Refinement(refinementId, branch, command.author(), kind,
                    targetsWithBases(), command.instructions(), command.budgets(),
                    written.stream().map(Vibe::ref).toList(), command.message(), command.idempotencyKey(),
                    requestDigest, now);
            tx.append(refinement, written, List.of());
            return new RefineOutcome.Written(Optional.of(refinement), refined);
        }

        private RefineOutcome replay(Refinement first) {
            List<RefinedVibe> vibes = first.outputRefs().stream()
                    .map(ref -> new RefinedVibe(tx.vibe(ref).orElseThrow(), false))
                    .toList();
            return new RefineOutcome.Replayed(first, vibes);
        }

        /** The vibes the refinement names, in the order a missing one is reported: targets, instructions, budgets. */
        private List<VibeRef> inputs() {
            List<VibeRef> inputs = new ArrayList<>(command.targets());
            inputs.addAll(command.instructions());
            inputs.addAll(command.budgets());
            return inputs;
        }

        private Optional<RefineOutcome> checkAuthorAndInputs(LedgerTransaction.WriteStart start) {
            Optional<Kind> author = start.authorKind();
            if (author.isEmpty()) return Optional.of(new RefineOutcome.NotFound("author " + command.author()));
            if (author.get() != Kind.ROLE) {
                return Optional.of(new RefineOutcome.Invalid(List.of(new Violation("",
                        "the author " + command.author() + " is a " + author.get() + ", not a ROLE"))));
            }
            return inputs().stream().filter(start.missing()::contains).findFirst()
                    .map(ref -> new RefineOutcome.NotFound("vibe " + ref));
        }

        private List<VibeRef> targetsWithBases() {
            Set<VibeRef> refs = new LinkedHashSet<>(command.targets());
            command.vibes().forEach(v -> v.base().ifPresent(refs::add));
            return List.copyOf(refs);
        }

        private List<ImpactReport> impactOf(List<OutputPreparer.Prepared> prepared) {
            List<ImpactReport> reports = new ArrayList<>();
            for (OutputPreparer.Prepared p : prepared) {
                List<ImpactItem> items = tx.impact(branch, p.draft().id(), Instant.MAX, Optional.empty(),
                        dryRunImpactLimit + 1);
                List<ImpactItem> checked = items.subList(0, Math.min(items.size(), dryRunImpactLimit));
                // the floating dependents and their closures, read together (a round trip per thousand, not two each)
                List<ImpactItem> floating = checked.stream().filter(ImpactItem::floating).toList();
                LedgerTransaction.WriteReads reads = tx.readForWrite(branch,
                        floating.stream().map(i -> i.ref().id()).toList(),
                        floating.stream().map(i -> new LedgerTransaction.Named(i.ref().id(),
                                Optional.of(i.ref().revision()))).toList());
                List<ImpactReport.Dependent> dependents = new ArrayList<>();
                for (ImpactItem item : checked) {
                    dependents.add(item.floating() ? revalidate(item, p, reads) : new ImpactReport.Dependent(
                            item.ref(), item.depth(), false, true, List.of()));
                }
                reports.add(new ImpactReport(p.draft().id(), dependents, items.size() > dryRunImpactLimit));
            }
            return reports;
        }

        /** Validates a dependent's stored solution with every revision of the changed id replaced by the new schema. */
        private ImpactReport.Dependent revalidate(ImpactItem item, OutputPreparer.Prepared changed,
                                                  LedgerTransaction.WriteReads reads) {
            // a head written since the impact was read is not the dependent: read the dependent itself then
            Vibe dependent = reads.heads().getOrDefault(item.ref().id(), Optional.empty())
                    .filter(v -> v.ref().equals(item.ref()))
                    .or(() -> tx.vibe(item.ref())).orElseThrow();
            SchemaClosure closure = reads.closures().getOrDefault(
                            new LedgerTransaction.Named(item.ref().id(), Optional.of(item.ref().revision())), Optional.empty())
                    .filter(c -> c.root().equals(item.ref()))
                    .or(() -> tx.closure(item.ref())).orElseThrow();
            Map<VibeRef, JsonNode> dependencies = new LinkedHashMap<>(changed.dependencies());
            closure.dependencies().forEach((ref, schema) ->
                    dependencies.putIfAbsent(ref, ref.id().equals(changed.draft().id())
                            ? changed.stamped().schema() : schema));
            List<Violation> violations = validator.validate(
                    resolver.bundled(dependent.schema(), dependencies), dependent.solution());
            return new ImpactReport.Dependent(item.ref(), item.depth(), true, violations.isEmpty(), violations);
        }
    }

}
