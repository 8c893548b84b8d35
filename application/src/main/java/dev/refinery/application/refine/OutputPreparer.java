package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.BranchVisibility;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Digest;
import dev.refinery.domain.DocumentDepth;
import dev.refinery.domain.StorableText;
import dev.refinery.domain.Kind;
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
import dev.refinery.domain.schema.SchemaTooLargeException;
import dev.refinery.domain.schema.StampResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns the drafts of one refinement into vibes ready to write, inside its unit of work: checks the
 * schema, stamps its aug references (earlier outputs of the same refinement count as visible),
 * validates the solution against the bundled schema, and finds outputs equal to their head.
 */
final class OutputPreparer {
    /**
     * The most JSON nodes a schema may expand to with its references inlined. That expansion is what
     * validation walks, so past it a write would tie up a connection for minutes (a lattice of diamonds
     * doubles with every layer); it is refused instead. The inlined *view* has its own, smaller cap.
     */
    static final int VALIDATION_NODE_BUDGET = 1_000_000;
    private static final SchemaResolver EXPANSION = new SchemaResolver(
            new SchemaResolver.Limits(VALIDATION_NODE_BUDGET, 10_000));

    private final LedgerTransaction tx;
    private final BranchName branch;
    private final SchemaResolver resolver;
    private final SchemaValidator validator;
    private final InternalActivities internalActivities;
    private final Map<VibeId, VibeRef> earlierOutputs = new HashMap<>();
    private final Map<VibeRef, JsonNode> pendingSchemas = new HashMap<>();
    /** Stored closures read so far in this refine, by their root: each is read once. */
    private final Map<VibeRef, SchemaClosure> storedClosures = new HashMap<>();
    /** What {@link #readAhead} read: heads of the drafts' ids, what their schemas' aug URIs name on the branch. */
    private Map<VibeId, Optional<Vibe>> readHeads = Map.of();
    private OptionalLong reservedRefinementId = OptionalLong.empty();
    private Map<LedgerTransaction.Named, Optional<SchemaClosure>> readClosures = Map.of();

    /** For merges: what they carry was written, and checked, on its own branch (a run checks it again at start). */
    OutputPreparer(LedgerTransaction tx, BranchName branch, SchemaResolver resolver, SchemaValidator validator) {
        this(tx, branch, resolver, validator, InternalActivities.NONE);
    }

    /** @param internalActivities the task queues and activity types no CAPABILITY vibe may name */
    OutputPreparer(LedgerTransaction tx, BranchName branch, SchemaResolver resolver, SchemaValidator validator,
                   InternalActivities internalActivities) {
        this.internalActivities = internalActivities;
        this.tx = tx;
        this.branch = branch;
        this.resolver = resolver;
        this.validator = validator;
    }

    /**
     * Reads at once, in one round trip where the ledger can, what preparing {@code drafts} will ask for: the
     * heads of their ids, and what the aug URIs of their schemas name on the branch (once the write's locks
     * are held: what it reads is then as current as reading it one by one).
     */
    void readAhead(List<VibeDraft> drafts, boolean reserveRefinementId) {
        Set<LedgerTransaction.Named> named = new LinkedHashSet<>();
        for (VibeDraft draft : drafts) {
            for (AugUri uri : SchemaStamper.lookups(draft.schema())) {
                if (uri.branchIn(branch).equals(branch)) named.add(new LedgerTransaction.Named(uri.id(), uri.revision()));
            }
        }
        List<VibeId> ids = drafts.stream().map(VibeDraft::id).toList();
        LedgerTransaction.WriteReads reads = reserveRefinementId ? tx.readForWriteReservingId(branch, ids, named)
                : tx.readForWrite(branch, ids, named);
        reservedRefinementId = reads.refinementId();
        readHeads = reads.heads();
        readClosures = reads.closures();
        readClosures.values().forEach(c -> c.ifPresent(closure -> storedClosures.putIfAbsent(closure.root(), closure)));
    }

    /** The refinement id read ahead with {@code reserveRefinementId}; empty otherwise. */
    OptionalLong reservedRefinementId() {
        return reservedRefinementId;
    }

    /** The current head of {@code id} on the branch: as read ahead, or read now. */
    Optional<Vibe> head(VibeId id) {
        Optional<Vibe> read = readHeads.get(id);
        return read != null ? read : tx.head(branch, id, Instant.MAX);
    }

    /**
     * @param head the current head of the draft's id on the branch
     * @param at   the JSON pointer of the draft in the request, for violations
     * @return empty, with {@code violations} added, when the draft is invalid
     */
    Optional<Prepared> prepare(VibeDraft draft, Optional<Vibe> head, String at, List<Violation> violations) {
        int before = violations.size();
        DocumentDepth.check(draft.context(), at + "/context").ifPresent(violations::add);
        DocumentDepth.check(draft.schema(), at + "/schema").ifPresent(violations::add);
        DocumentDepth.check(draft.solution(), at + "/solution").ifPresent(violations::add);
        if (violations.size() > before) return Optional.empty();
        StorableText.find(draft.context(), at + "/context", violations);
        StorableText.find(draft.schema(), at + "/schema", violations);
        StorableText.find(draft.solution(), at + "/solution", violations);
        if (draft.kind() == Kind.CAPABILITY) {
            internalActivities.refusals(draft.context()).forEach(v -> violations.add(v.under(at + "/context")));
        }
        if (violations.size() > before) return Optional.empty();
        List<Violation> schemaProblems = validator.checkSchema(draft.schema());
        if (!schemaProblems.isEmpty()) {
            schemaProblems.forEach(v -> violations.add(v.under(at + "/schema")));
            return Optional.empty();
        }
        StampResult stamp = SchemaStamper.stamp(draft.schema(), lookup());
        if (stamp instanceof StampResult.Unresolved unresolved) {
            unresolved.violations().forEach(v -> violations.add(v.under(at + "/schema")));
            return Optional.empty();
        }
        StampResult.Stamped stamped = (StampResult.Stamped) stamp;
        Map<VibeRef, JsonNode> dependencies = dependencyClosure(stamped.refs());
        Optional<Violation> tooComplex = expansionTooLarge(draft, head, stamped.schema(), dependencies);
        if (tooComplex.isPresent()) {
            violations.add(tooComplex.get().under(at + "/schema"));
            return Optional.empty();
        }
        JsonNode bundled = resolver.bundled(stamped.schema(), dependencies);
        List<Violation> invalid = validator.validate(bundled, draft.solution());
        if (!invalid.isEmpty()) {
            invalid.forEach(v -> violations.add(v.under(at + "/solution")));
            return Optional.empty();
        }
        Digest digest = ContentDigest.of(draft.kind(), draft.id(), draft.context(), stamped.schema(),
                draft.solution(), draft.prototype());
        Prepared p = head.filter(h -> h.digest().equals(digest))
                .map(h -> new Prepared(draft, h.ref(), stamped, digest, Optional.of(h), dependencies))
                .orElseGet(() -> new Prepared(draft,
                        new VibeRef(branch, draft.id(), BranchVisibility.nextRevision(head.map(Vibe::ref))),
                        stamped, digest, Optional.empty(), dependencies));
        earlierOutputs.put(draft.id(), p.ref());
        pendingSchemas.put(p.ref(), stamped.schema());
        return Optional.of(p);
    }

    private Optional<Violation> expansionTooLarge(VibeDraft draft, Optional<Vibe> head, JsonNode stamped,
                                                  Map<VibeRef, JsonNode> dependencies) {
        if (dependencies.isEmpty()) return Optional.empty();
        // Count first: when even an upper bound of the expansion is within the budget (and the closure too
        // small for the depth cap), expanding it cannot fail. Only larger ones are expanded, up to the budget.
        OptionalLong bound = SchemaResolver.inlinedSizeBound(stamped, dependencies, VALIDATION_NODE_BUDGET);
        if (bound.isPresent() && bound.getAsLong() <= VALIDATION_NODE_BUDGET
                && dependencies.size() < EXPANSION.limits().maxInlineDepth()) {
            return Optional.empty();
        }
        VibeRef candidate = new VibeRef(branch, draft.id(), BranchVisibility.nextRevision(head.map(Vibe::ref)));
        Map<VibeRef, JsonNode> schemas = new LinkedHashMap<>(dependencies);
        schemas.put(candidate, stamped);
        try {
            EXPANSION.inlined(new SchemaClosure(candidate, schemas));
            return Optional.empty();
        } catch (SchemaTooLargeException e) {
            return Optional.of(new Violation("", "with its references inlined the schema expands to more than "
                    + VALIDATION_NODE_BUDGET + " nodes, which validation would have to walk (" + e.getMessage()
                    + "); share fewer diamonds or pin a smaller schema"));
        }
    }

    /** Resolves aug URIs against the branch now, counting the outputs prepared so far. */
    private ReferenceLookup lookup() {
        return new ReferenceLookup() {
            @Override
            public Optional<VibeRef> resolve(AugUri uri) {
                BranchName on = uri.branchIn(branch);
                VibeRef earlier = on.equals(branch) ? earlierOutputs.get(uri.id()) : null;
                if (earlier != null && uri.revision().map(earlier.revision()::equals).orElse(true)) {
                    return Optional.of(earlier);
                }
                // what it names and the closure validation needs, in one read (or read ahead)
                LedgerTransaction.Named name = new LedgerTransaction.Named(uri.id(), uri.revision());
                Optional<SchemaClosure> found = on.equals(branch) && readClosures.containsKey(name)
                        ? readClosures.get(name)
                        : tx.visibleClosure(on, uri.id(), uri.revision());
                found.ifPresent(c -> storedClosures.putIfAbsent(c.root(), c));
                return found.map(SchemaClosure::root);
            }

            @Override
            public boolean exists(VibeRef ref) {
                return pendingSchemas.containsKey(ref) || storedClosure(ref).isPresent();
            }
        };
    }

    /** The closure of a stored vibe, empty when there is no such vibe; read once per refine. */
    private Optional<SchemaClosure> storedClosure(VibeRef ref) {
        SchemaClosure known = storedClosures.get(ref);
        if (known != null) return Optional.of(known);
        Optional<SchemaClosure> read = tx.closure(ref);
        read.ifPresent(c -> storedClosures.put(ref, c));
        return read;
    }

    private Map<VibeRef, JsonNode> dependencyClosure(List<VibeRef> direct) {
        Map<VibeRef, JsonNode> closure = new LinkedHashMap<>();
        List<VibeRef> todo = new ArrayList<>(direct);
        while (!todo.isEmpty()) {
            VibeRef ref = todo.removeLast();
            if (closure.containsKey(ref)) continue;
            JsonNode pending = pendingSchemas.get(ref);
            if (pending != null) {
                closure.put(ref, pending);
                todo.addAll(SchemaReferences.of(pending));
            } else {
                SchemaClosure stored = storedClosure(ref).orElseThrow(
                        () -> new IllegalStateException("a stamped reference vanished: " + ref));
                stored.schemas().forEach(closure::putIfAbsent);
            }
        }
        return closure;
    }

    /** One output, checked and ready to write (or found equal to its head). */
    record Prepared(VibeDraft draft, VibeRef ref, StampResult.Stamped stamped, Digest digest,
                    Optional<Vibe> unchangedHead, Map<VibeRef, JsonNode> dependencies) {

        RefinedVibe toRefined(VibeRef author, long refinementId, Instant now) {
            if (unchangedHead.isPresent()) return new RefinedVibe(unchangedHead.get(), true);
            Vibe vibe = new Vibe(ref, draft.kind(), List.of(ref.branch()), author, draft.prototype(), refinementId,
                    draft.context(), stamped.schema(), draft.solution(), stamped.refs(), digest, now);
            return new RefinedVibe(vibe, false);
        }
    }
}
