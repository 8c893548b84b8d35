package dev.refinery.application.port;

import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.Revision;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Visibility;
import dev.refinery.domain.schema.SchemaClosure;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one unit of work can read and write. Visibility follows {@link dev.refinery.domain.BranchVisibility}:
 * an id's revisions visible on a branch are its own entries and its bases' entries up to each fork point;
 * the head is the highest visible revision. Every vibe returned carries its current {@code branches}.
 *
 * <p>Instants are kept to the microsecond (PostgreSQL's {@code timestamptz}): callers give instants of at
 * most microsecond precision (e.g. a clock made with {@code Clock.tick(clock, Duration.ofNanos(1000))}),
 * so what is read back equals what was written.
 */
public interface LedgerTransaction {

    // ---- locks: held until the unit of work ends -------------------------------------------

    /**
     * Taken by every write to {@code branch} before it reads heads or allocates a refinement id:
     * writers share it, {@link #lockBranchExclusively} excludes them, so a fork sees exactly the writes
     * that committed before it.
     */
    void lockBranchForWrite(BranchName branch);

    /**
     * Waits for the running writers of {@code branch} and holds new ones off: taken by a fork on its base and by a
     * merge on its target (one lock, however many ids the merge brings: a lock per id ran out of PostgreSQL's lock
     * table past a few thousand ids).
     */
    void lockBranchExclusively(BranchName branch);

    /** Serializes writers of one id on one branch (callers lock several ids in sorted order). */
    void lockId(BranchName branch, VibeId id);

    /** Serializes the writers that carry the same idempotency key: {@code name} is {@code IdempotencyPolicy.lockName}. */
    void lockIdempotencyKey(String name);

    /** Marks this unit of work to roll back when it ends (a dry run). */
    void setRollbackOnly();

    /**
     * What a refine of {@code ids} on {@code branch} by {@code author} starts with: the branch and, when
     * it exists, {@link #lockBranchForWrite} on it, then {@link #lockId} on each of {@code ids} in the order
     * given (callers sort them), the kind of the author vibe if there is one, and which of {@code inputs} (the
     * vibes the refinement names: targets, instructions, budgets) do not exist. The same as those calls one
     * after the other, but a ledger may read the branch, the author and the inputs before it waits for the locks
     * (a branch and a vibe's kind never change, and a vibe once there stays) and do it all in one round trip.
     *
     * @return empty, having taken no lock, when the branch does not exist
     */
    default Optional<WriteStart> startWrite(BranchName branch, List<VibeId> ids, VibeRef author,
                                            Collection<VibeRef> inputs) {
        Optional<Branch> found = branch(branch);
        if (found.isEmpty()) return Optional.empty();
        lockBranchForWrite(branch);
        ids.forEach(id -> lockId(branch, id));
        Set<VibeRef> missing = new LinkedHashSet<>();
        for (VibeRef input : inputs) {
            if (vibe(input).isEmpty()) missing.add(input);
        }
        return Optional.of(new WriteStart(found.get(), vibe(author).map(Vibe::kind), missing));
    }

    /**
     * See {@link #startWrite}: the branch written to, the author's kind (empty when it does not exist), and the
     * inputs that do not exist.
     */
    record WriteStart(Branch branch, Optional<Kind> authorKind, Set<VibeRef> missing) {
        public WriteStart {
            missing = Set.copyOf(missing);
        }
    }

    // ---- branches ----------------------------------------------------------------------------

    Optional<Branch> branch(BranchName name);

    /** All branches, ordered by name. */
    List<Branch> branches();

    /** @return false, writing nothing, when a branch of that name exists */
    boolean insertBranch(Branch branch);

    // ---- refinements -------------------------------------------------------------------------

    /** Allocates the next refinement id (monotonic, never reused; gaps are allowed). */
    long nextRefinementId();

    /** The highest refinement id committed so far (0 when there is none): a fork point. */
    long lastRefinementId();

    Optional<Refinement> refinement(long id);

    /**
     * The refine or merge by {@code author} that carried {@code key}. Keys are each author's own, and a run's result
     * keeps its key (the run's id) in a space of its own: it is never found here.
     */
    Optional<Refinement> refinementByIdempotencyKey(VibeRef author, String key);

    /** Refinements newest first, optionally of one branch and/or one author, with ids below {@code beforeId}. */
    List<Refinement> refinements(Optional<BranchName> branch, Optional<VibeRef> author, long beforeId, int limit);

    /**
     * Appends one refinement: the refinement row, its new vibes (each visible on its own branch from
     * the refinement's time), and {@code visibilities} that make existing revisions visible on other
     * branches (fast-forward merges). The dependency edges follow from the vibes' stamped schemas and
     * prototypes. All or nothing.
     *
     * @throws DuplicateWriteException when a (branch, id, revision) is taken, or the idempotency key: by a refine or
     *                                 merge of the same author, or (a run's result) by another run's result
     */
    void append(Refinement refinement, List<Vibe> vibes, List<Visibility> visibilities);

    // ---- vibes -------------------------------------------------------------------------------

    Optional<Vibe> vibe(VibeRef ref);

    /** The latest revision of {@code id} visible on {@code branch} as of {@code asOf}. */
    Optional<Vibe> head(BranchName branch, VibeId id, Instant asOf);

    /** Revision {@code revision} of {@code id} as visible on {@code branch} as of {@code asOf}. */
    Optional<Vibe> visibleRevision(BranchName branch, VibeId id, Revision revision, Instant asOf);

    /** Whether {@code ref} is visible on {@code branch} now. */
    boolean isVisible(VibeRef ref, BranchName branch);

    /** Those of {@code refs} that are visible on {@code branch} now ({@link #isVisible} of each, in one go). */
    default Set<VibeRef> visibleOf(BranchName branch, Collection<VibeRef> refs) {
        Set<VibeRef> visible = new LinkedHashSet<>();
        for (VibeRef ref : refs) if (isVisible(ref, branch)) visible.add(ref);
        return visible;
    }

    /** The refs of every revision of each of {@code ids} visible on {@code branch} now (ids with none are absent). */
    default Map<VibeId, List<VibeRef>> historyRefs(BranchName branch, Collection<VibeId> ids) {
        Map<VibeId, List<VibeRef>> refs = new LinkedHashMap<>();
        for (VibeId id : ids) {
            List<VibeRef> history = history(branch, id, Instant.MAX, Integer.MAX_VALUE, Integer.MAX_VALUE).stream()
                    .map(Vibe::ref).toList();
            if (!history.isEmpty()) refs.put(id, history);
        }
        return refs;
    }

    /** Revisions of {@code id} visible on {@code branch} as of {@code asOf}, newest first, below {@code beforeRevision}. */
    List<Vibe> history(BranchName branch, VibeId id, Instant asOf, int beforeRevision, int limit);

    /**
     * Heads visible on {@code branch} as of {@code asOf}, ordered by id, with ids after {@code afterId}
     * (exclusive; empty for the first page), whose id starts with {@code idPrefix} and, when given, of {@code kind}.
     */
    List<Vibe> heads(BranchName branch, Instant asOf, String idPrefix, Optional<Kind> kind, Optional<VibeId> afterId,
                     int limit);

    /** The head refs now on {@code branch} of those of {@code ids} that have one there, in the order given. */
    Map<VibeId, VibeRef> headRefs(BranchName branch, Collection<VibeId> ids);

    /**
     * The ids, in order, with a visibility entry that {@code seenOn}'s lineage admits and {@code notOn}'s does not
     * (all of them when {@code notOn} does not exist). Only these can have a head on {@code seenOn} that is not
     * visible on {@code notOn}: an id whose entries both lineages admit alike has the same head on both. What a
     * merge and a diff look at, in proportion to what changed rather than to the ledger.
     */
    List<VibeId> idsSeenOnlyOn(BranchName seenOn, BranchName notOn);

    // ---- the dependency graph ----------------------------------------------------------------

    /** The stamped schemas of {@code root} and of everything it references, transitively; empty if root is unknown. */
    Optional<SchemaClosure> closure(VibeRef root);

    /**
     * The closure of what an aug reference to {@code id} on {@code branch} names now: its head, or its
     * visible revision {@code revision} when one is given. What stamping a reference needs (the closure's
     * root) and validating against it (its schemas): the same as {@link #head} or {@link #visibleRevision}
     * as of {@link Instant#MAX}, then {@link #closure} of what it found, in one round trip where the ledger can.
     */
    default Optional<SchemaClosure> visibleClosure(BranchName branch, VibeId id, Optional<Revision> revision) {
        Optional<Vibe> found = revision.isPresent()
                ? visibleRevision(branch, id, revision.get(), Instant.MAX)
                : head(branch, id, Instant.MAX);
        return found.flatMap(v -> closure(v.ref()));
    }

    /**
     * What a write reads once {@link #startWrite}'s locks are held, in one round trip where the ledger
     * can: the head of each of {@code ids} on {@code branch} now, and the {@link #visibleClosure} of each of
     * {@code named} on {@code branch}. The same as those calls one after the other.
     */
    default WriteReads readForWrite(BranchName branch, Collection<VibeId> ids, Collection<Named> named) {
        Map<VibeId, Optional<Vibe>> heads = new LinkedHashMap<>();
        for (VibeId id : ids) heads.putIfAbsent(id, head(branch, id, Instant.MAX));
        Map<Named, Optional<SchemaClosure>> closures = new LinkedHashMap<>();
        for (Named n : named) {
            if (!closures.containsKey(n)) closures.put(n, visibleClosure(branch, n.id(), n.revision()));
        }
        return new WriteReads(heads, closures);
    }

    /**
     * {@link #readForWrite}, and {@link #nextRefinementId} for the refinement the write is about to append, in the
     * same round trip where the ledger can. The id is taken whatever the write then decides: a refine that is
     * refused or changes nothing leaves a gap, as a rolled-back one does.
     */
    default WriteReads readForWriteReservingId(BranchName branch, Collection<VibeId> ids, Collection<Named> named) {
        WriteReads reads = readForWrite(branch, ids, named);
        return new WriteReads(reads.heads(), reads.closures(), OptionalLong.of(nextRefinementId()));
    }

    /** A vibe as an aug URI on the write's branch names it: the head of {@code id}, or its visible {@code revision}. */
    record Named(VibeId id, Optional<Revision> revision) {}

    /**
     * See {@link #readForWrite}: an entry for each id and each name asked for, empty where there is none; the
     * reserved refinement id when {@link #readForWriteReservingId} was asked.
     */
    record WriteReads(Map<VibeId, Optional<Vibe>> heads, Map<Named, Optional<SchemaClosure>> closures,
                      OptionalLong refinementId) {
        public WriteReads(Map<VibeId, Optional<Vibe>> heads, Map<Named, Optional<SchemaClosure>> closures) {
            this(heads, closures, OptionalLong.empty());
        }
    }

    /**
     * Edges out of {@code ref} (what it uses); with {@code transitive}, every vibe reachable, each once, by the
     * edge that first reached it breadth-first (the lowest depth, then a schema edge before a prototype edge, then
     * the nearer end's ref). One page of them in {@link GraphKey#ORDER} of ({@code depth}, {@code to}): at most
     * {@code limit}, those after {@code after} when it is given.
     */
    List<Edge> dependencies(VibeRef ref, boolean transitive, Optional<GraphKey> after, int limit);

    /**
     * Edges into {@code ref} (what uses it); with {@code transitive}, every vibe that reaches it, each once, by the
     * edge that first reached it breadth-first, as {@link #dependencies} chooses. One page of them in
     * {@link GraphKey#ORDER} of ({@code depth}, {@code from}): at most {@code limit}, those after {@code after} when
     * it is given.
     */
    List<Edge> dependents(VibeRef ref, boolean transitive, Optional<GraphKey> after, int limit);

    /**
     * Heads on {@code branch} as of {@code asOf} that depend, directly or transitively, on any revision of
     * {@code id} (the id's own revisions excluded, and not walked through), through schema edges only, each once
     * with its smallest depth and whether some path to the id is made of floating edges only. One page of them in
     * {@link GraphKey#ORDER} of ({@code depth}, {@code ref}): at most {@code limit}, those after {@code after} when
     * it is given.
     */
    List<ImpactItem> impact(BranchName branch, VibeId id, Instant asOf, Optional<GraphKey> after, int limit);

    // ---- process runs ------------------------------------------------------------------------

    /** The saga state store, in this unit of work (its locks and writes end with it). */
    SagaRecords sagas();
}
