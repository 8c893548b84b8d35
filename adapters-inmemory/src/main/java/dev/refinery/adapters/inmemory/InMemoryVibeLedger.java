package dev.refinery.adapters.inmemory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.refinery.application.port.DuplicateWriteException;
import dev.refinery.application.port.Edge;
import dev.refinery.application.port.GraphKey;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.application.port.SagaRecords;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchLineage;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.BranchVisibility;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Revision;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Visibility;
import dev.refinery.domain.schema.SchemaClosure;
import dev.refinery.domain.schema.SchemaReferences;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The ledger in memory, for tests and for embedding without a database. Units of work run one at
 * a time (a fair lock), so they are serializable; a failed or rolled-back unit of work undoes its
 * writes. Refinement ids, like a database sequence, are never handed out twice, even after a rollback.
 */
public final class InMemoryVibeLedger implements VibeLedger {
    /** The ROLE vibe that authors the first writes, as the PostgreSQL migration creates it. */
    public static final VibeRef ROOT_ROLE = VibeRef.of("main", "roles/root", 1);

    private final ReentrantLock lock = new ReentrantLock(true);
    private final AtomicLong refinementIds = new AtomicLong();

    private final Map<BranchName, Branch> branches = new TreeMap<>();
    private final TreeMap<Long, Refinement> refinements = new TreeMap<>();
    /** The keys of refines and merges, each author's own. */
    private final Map<AuthorKey, Long> idempotencyKeys = new HashMap<>();
    /** The keys of runs' results (the run ids), apart from the clients' keys. */
    private final Map<String, Long> runKeys = new HashMap<>();

    private record AuthorKey(VibeRef author, String key) {}
    private final Map<VibeRef, Vibe> vibes = new HashMap<>();
    private final TreeMap<VibeId, List<Visibility>> visibilityById = new TreeMap<>();
    private final Map<VibeRef, List<Visibility>> visibilityByRef = new HashMap<>();
    private final Map<VibeRef, List<Edge>> outgoing = new HashMap<>();
    private final Map<VibeRef, List<Edge>> incoming = new HashMap<>();
    /** Keyed by the id's lower-case text, the order PostgreSQL gives uuid. */
    private final TreeMap<String, SagaInstance> sagas = new TreeMap<>();

    public InMemoryVibeLedger(Clock clock) {
        Instant now = clock.instant();
        long genesis = refinementIds.incrementAndGet();
        var json = JsonNodeFactory.instance;
        Vibe root = new Vibe(ROOT_ROLE, Kind.ROLE, List.of(BranchName.MAIN), ROOT_ROLE, Optional.empty(), genesis,
                json.objectNode().put("description", "the root role: authors the first writes"),
                json.objectNode(), json.objectNode().put("name", "root"), List.of(),
                ContentDigest.of(Kind.ROLE, ROOT_ROLE.id(), json.objectNode().put("description",
                        "the root role: authors the first writes"), json.objectNode(),
                        json.objectNode().put("name", "root"), Optional.empty()), now);
        branches.put(BranchName.MAIN, new Branch(BranchName.MAIN, Optional.empty(), 0, now, ROOT_ROLE));
        new Tx().append(new Refinement(genesis, BranchName.MAIN, ROOT_ROLE, RefinementKind.REFINE, List.of(), List.of(),
                List.of(), List.of(ROOT_ROLE), "genesis", Optional.empty(), Optional.empty(), now), List.of(root),
                List.of());
    }

    @Override
    public <T> T inTransaction(UnitOfWork<T> work) {
        lock.lock();
        Tx tx = new Tx();
        try {
            T result = work.run(tx);
            if (tx.rollbackOnly) tx.undo();
            return result;
        } catch (RuntimeException | Error e) {
            tx.undo();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private final class Tx implements LedgerTransaction {
        private final Deque<Runnable> undoLog = new ArrayDeque<>();
        private boolean rollbackOnly;
        private final Sagas sagaRecords = new Sagas(undoLog);

        void undo() {
            while (!undoLog.isEmpty()) undoLog.pop().run();
        }

        // Every unit of work holds the one lock, so these are already serialized.
        @Override public void lockBranchForWrite(BranchName branch) {}
        @Override public void lockBranchExclusively(BranchName branch) {}
        @Override public void lockId(BranchName branch, VibeId id) {}
        @Override public void lockIdempotencyKey(String key) {}

        @Override
        public void setRollbackOnly() {
            rollbackOnly = true;
        }

        @Override
        public Optional<Branch> branch(BranchName name) {
            return Optional.ofNullable(branches.get(name));
        }

        @Override
        public List<Branch> branches() {
            return List.copyOf(branches.values());
        }

        @Override
        public boolean insertBranch(Branch branch) {
            if (branches.containsKey(branch.name())) return false;
            requireBranch(branch.base().orElseThrow());
            requireVibe(branch.createdBy());
            branches.put(branch.name(), branch);
            undoLog.push(() -> branches.remove(branch.name()));
            return true;
        }

        @Override
        public long nextRefinementId() {
            return refinementIds.incrementAndGet();
        }

        @Override
        public long lastRefinementId() {
            return refinements.isEmpty() ? 0 : refinements.lastKey();
        }

        @Override
        public Optional<Refinement> refinement(long id) {
            return Optional.ofNullable(refinements.get(id));
        }

        @Override
        public Optional<Refinement> refinementByIdempotencyKey(VibeRef author, String key) {
            return Optional.ofNullable(idempotencyKeys.get(new AuthorKey(author, key))).map(refinements::get);
        }

        @Override
        public List<Refinement> refinements(Optional<BranchName> branch, Optional<VibeRef> author, long beforeId,
                                            int limit) {
            return refinements.headMap(beforeId, false).descendingMap().values().stream()
                    .filter(r -> branch.map(r.branch()::equals).orElse(true))
                    .filter(r -> author.map(r.authorRef()::equals).orElse(true))
                    .limit(limit)
                    .toList();
        }

        @Override
        public void append(Refinement refinement, List<Vibe> newVibes, List<Visibility> visibilities) {
            if (refinements.containsKey(refinement.id())) {
                throw new DuplicateWriteException("refinement " + refinement.id() + " exists", null);
            }
            boolean ofARun = refinement.kind() == RefinementKind.PROCESS;
            Optional<Object> key = refinement.idempotencyKey()
                    .map(k -> ofARun ? k : new AuthorKey(refinement.authorRef(), k));
            if (key.filter(k -> ofARun ? runKeys.containsKey(k) : idempotencyKeys.containsKey(k)).isPresent()) {
                throw new DuplicateWriteException("idempotency key " + refinement.idempotencyKey().get() + " is taken", null);
            }
            if (!ofARun && key.isPresent() && refinement.requestDigest().isEmpty()) {
                // as PostgreSQL's refinements_keyed_request_has_digest
                throw new IllegalArgumentException("a refine or merge with an idempotency key carries its request digest");
            }
            requireBranch(refinement.branch());
            Set<VibeRef> incomingRefs = new HashSet<>();
            newVibes.forEach(v -> incomingRefs.add(v.ref()));
            if (!incomingRefs.contains(refinement.authorRef())) requireVibe(refinement.authorRef());
            for (Vibe v : newVibes) {
                if (vibes.containsKey(v.ref()) || !incomingRefs.remove(v.ref())) {
                    throw new DuplicateWriteException("revision " + v.ref() + " exists", null);
                }
                if (v.refinementId() != refinement.id()) {
                    throw new IllegalArgumentException(v.ref() + " does not belong to refinement " + refinement.id());
                }
                requireBranch(v.branch());
            }
            refinements.put(refinement.id(), refinement);
            undoLog.push(() -> refinements.remove(refinement.id()));
            key.ifPresent(k -> {
                if (ofARun) {
                    runKeys.put((String) k, refinement.id());
                    undoLog.push(() -> runKeys.remove(k));
                } else {
                    idempotencyKeys.put((AuthorKey) k, refinement.id());
                    undoLog.push(() -> idempotencyKeys.remove(k));
                }
            });
            for (Vibe v : newVibes) {
                v.prototypeRef().ifPresent(this::requireStoredOrNew);
                if (!v.authorRef().equals(v.ref())) requireVibe(v.authorRef());
                Vibe stored = v.withBranches(List.of());
                vibes.put(v.ref(), stored);
                undoLog.push(() -> vibes.remove(v.ref()));
                addVisibility(new Visibility(v.ref(), v.branch(), refinement.id(), v.createdAt()));
                addEdges(stored);
            }
            for (Visibility visibility : visibilities) {
                requireVibe(visibility.ref());
                requireBranch(visibility.branch());
                boolean exists = visibilityByRef.getOrDefault(visibility.ref(), List.of()).stream()
                        .anyMatch(e -> e.branch().equals(visibility.branch()));
                if (exists) throw new DuplicateWriteException(visibility.ref() + " is visible on "
                        + visibility.branch() + " already", null);
                addVisibility(visibility);
            }
        }

        private void requireStoredOrNew(VibeRef ref) {
            requireVibe(ref);
        }

        private void requireBranch(BranchName name) {
            if (!branches.containsKey(name)) throw new IllegalArgumentException("no branch " + name);
        }

        private void requireVibe(VibeRef ref) {
            if (!vibes.containsKey(ref)) throw new IllegalArgumentException("no vibe " + ref);
        }

        private void addVisibility(Visibility v) {
            List<Visibility> byId = visibilityById.computeIfAbsent(v.ref().id(), k -> new ArrayList<>());
            List<Visibility> byRef = visibilityByRef.computeIfAbsent(v.ref(), k -> new ArrayList<>());
            byId.add(v);
            byRef.add(v);
            undoLog.push(() -> {
                byId.remove(v);
                byRef.remove(v);
                if (byId.isEmpty()) visibilityById.remove(v.ref().id());
                if (byRef.isEmpty()) visibilityByRef.remove(v.ref());
            });
        }

        private void addEdges(Vibe v) {
            List<Edge> edges = new ArrayList<>();
            SchemaReferences.pinning(v.schema()).forEach((to, pinned) ->
                    edges.add(new Edge(v.ref(), to, Edge.EdgeType.SCHEMA, pinned, 1)));
            v.prototypeRef().ifPresent(p -> edges.add(new Edge(v.ref(), p, Edge.EdgeType.PROTOTYPE, true, 1)));
            for (Edge e : edges) {
                List<Edge> out = outgoing.computeIfAbsent(e.from(), k -> new ArrayList<>());
                List<Edge> in = incoming.computeIfAbsent(e.to(), k -> new ArrayList<>());
                out.add(e);
                in.add(e);
                undoLog.push(() -> {
                    out.remove(e);
                    in.remove(e);
                });
            }
        }

        @Override
        public Optional<Vibe> vibe(VibeRef ref) {
            return Optional.ofNullable(vibes.get(ref)).map(this::withBranches);
        }

        private Vibe withBranches(Vibe stored) {
            List<BranchName> on = visibilityByRef.getOrDefault(stored.ref(), List.of()).stream()
                    .sorted(Comparator.comparingLong(Visibility::refinementId))
                    .map(Visibility::branch).distinct().toList();
            return stored.withBranches(on);
        }

        private Optional<BranchLineage> lineage(BranchName branch) {
            return BranchLineage.of(branch, name -> Optional.ofNullable(branches.get(name)));
        }

        @Override
        public Optional<Vibe> head(BranchName branch, VibeId id, Instant asOf) {
            return lineage(branch).flatMap(l -> headRef(l, id, asOf)).flatMap(this::vibe);
        }

        private Optional<VibeRef> headRef(BranchLineage lineage, VibeId id, Instant asOf) {
            return BranchVisibility.head(visibilityById.getOrDefault(id, List.of()), lineage, asOf);
        }

        @Override
        public Optional<Vibe> visibleRevision(BranchName branch, VibeId id, Revision revision, Instant asOf) {
            return lineage(branch).flatMap(l -> visibilityById.getOrDefault(id, List.of()).stream()
                    .filter(v -> v.ref().revision().equals(revision) && l.admits(v, asOf))
                    .map(Visibility::ref)
                    .findFirst()).flatMap(this::vibe);
        }

        @Override
        public boolean isVisible(VibeRef ref, BranchName branch) {
            return lineage(branch).map(l -> visibilityByRef.getOrDefault(ref, List.of()).stream().anyMatch(l::admits))
                    .orElse(false);
        }

        @Override
        public List<Vibe> history(BranchName branch, VibeId id, Instant asOf, int beforeRevision, int limit) {
            return lineage(branch).map(l -> BranchVisibility.history(visibilityById.getOrDefault(id, List.of()), l, asOf)
                    .stream()
                    .filter(r -> r.revision().value() < beforeRevision)
                    .limit(limit)
                    .map(r -> vibe(r).orElseThrow())
                    .toList()).orElse(List.of());
        }

        @Override
        public List<Vibe> heads(BranchName branch, Instant asOf, String idPrefix, Optional<Kind> kind,
                                Optional<VibeId> afterId, int limit) {
            Optional<BranchLineage> lineage = lineage(branch);
            if (lineage.isEmpty()) return List.of();
            var ids = afterId.map(a -> visibilityById.tailMap(a, false)).orElse(visibilityById);
            List<Vibe> result = new ArrayList<>();
            for (VibeId id : ids.keySet()) {
                if (result.size() == limit) break;
                if (!id.value().startsWith(idPrefix)) continue;
                headRef(lineage.get(), id, asOf).flatMap(this::vibe)
                        .filter(v -> kind.map(v.kind()::equals).orElse(true))
                        .ifPresent(result::add);
            }
            return result;
        }

        @Override
        public Map<VibeId, VibeRef> headRefs(BranchName branch, Collection<VibeId> ids) {
            Map<VibeId, VibeRef> heads = new LinkedHashMap<>();
            lineage(branch).ifPresent(l -> ids.forEach(id -> headRef(l, id, Instant.MAX).ifPresent(h -> heads.put(id, h))));
            return heads;
        }

        @Override
        public List<VibeId> idsSeenOnlyOn(BranchName seenOn, BranchName notOn) {
            Optional<BranchLineage> seen = lineage(seenOn);
            if (seen.isEmpty()) return List.of();
            Optional<BranchLineage> unseen = lineage(notOn);
            List<VibeId> ids = new ArrayList<>();
            visibilityById.forEach((id, entries) -> {
                if (entries.stream().anyMatch(e -> seen.get().admits(e) && !unseen.map(u -> u.admits(e)).orElse(false))) {
                    ids.add(id);
                }
            });
            return ids;
        }

        @Override
        public Optional<SchemaClosure> closure(VibeRef root) {
            return SchemaClosure.collect(root, ref -> Optional.ofNullable(vibes.get(ref)).map(Vibe::schema));
        }

        @Override
        public List<Edge> dependencies(VibeRef ref, boolean transitive, Optional<GraphKey> after, int limit) {
            return page(walk(ref, transitive, outgoing, Edge::to, Edge::from), e -> new GraphKey(e.depth(), e.to()),
                    after, limit);
        }

        @Override
        public List<Edge> dependents(VibeRef ref, boolean transitive, Optional<GraphKey> after, int limit) {
            return page(walk(ref, transitive, incoming, Edge::from, Edge::to), e -> new GraphKey(e.depth(), e.from()),
                    after, limit);
        }

        /**
         * Breadth-first from {@code start}, {@code next} being the end of an edge a step reaches and {@code near} the
         * one it leaves; in each level the edges are taken in the order (next, type, near), each next end once.
         */
        private List<Edge> walk(VibeRef start, boolean transitive, Map<VibeRef, List<Edge>> adjacency,
                                Function<Edge, VibeRef> next, Function<Edge, VibeRef> near) {
            Comparator<Edge> inLevel = Comparator.<Edge, String>comparing(e -> next.apply(e).toString())
                    .thenComparing(Edge::type).thenComparing(e -> near.apply(e).toString());
            List<Edge> result = new ArrayList<>();
            Set<VibeRef> seen = new HashSet<>(Set.of(start));
            List<VibeRef> frontier = List.of(start);
            for (int depth = 1; !frontier.isEmpty(); depth++) {
                List<Edge> level = new ArrayList<>();
                for (VibeRef r : frontier) {
                    for (Edge e : adjacency.getOrDefault(r, List.of())) {
                        level.add(new Edge(e.from(), e.to(), e.type(), e.pinned(), depth));
                    }
                }
                level.sort(inLevel);
                List<VibeRef> nextFrontier = new ArrayList<>();
                for (Edge e : level) {
                    if (seen.add(next.apply(e))) {
                        result.add(e);
                        nextFrontier.add(next.apply(e));
                    }
                }
                if (!transitive) break;
                frontier = nextFrontier;
            }
            return result;
        }

        /** The items after {@code after} in GraphKey order, at most {@code limit} of them. */
        private static <T> List<T> page(List<T> items, Function<T, GraphKey> key,
                                        Optional<GraphKey> after, int limit) {
            return items.stream()
                    .filter(i -> after.map(a -> key.apply(i).compareTo(a) > 0).orElse(true))
                    .sorted(Comparator.comparing(key))
                    .limit(limit)
                    .toList();
        }

        @Override
        public SagaRecords sagas() {
            return sagaRecords;
        }

        @Override
        public List<ImpactItem> impact(BranchName branch, VibeId id, Instant asOf, Optional<GraphKey> after,
                                       int limit) {
            Optional<BranchLineage> lineage = lineage(branch);
            if (lineage.isEmpty()) return List.of();
            record State(VibeRef ref, boolean floating) {}
            Map<VibeRef, Integer> depth = new HashMap<>();
            Map<VibeRef, Boolean> floating = new HashMap<>();
            Set<State> seen = new HashSet<>();
            Deque<State> queue = new ArrayDeque<>();
            Map<State, Integer> stateDepth = new HashMap<>();
            visibilityByRef.keySet().stream().filter(r -> r.id().equals(id)).forEach(r -> {
                State s = new State(r, true);
                seen.add(s);
                stateDepth.put(s, 0);
                queue.add(s);
            });
            while (!queue.isEmpty()) {
                State s = queue.poll();
                int d = stateDepth.get(s);
                for (Edge e : incoming.getOrDefault(s.ref(), List.of())) {
                    if (e.type() != Edge.EdgeType.SCHEMA || e.from().id().equals(id)) continue;
                    State n = new State(e.from(), s.floating() && !e.pinned());
                    if (!seen.add(n)) continue;
                    stateDepth.put(n, d + 1);
                    queue.add(n);
                    depth.merge(n.ref(), d + 1, Math::min);
                    floating.merge(n.ref(), n.floating(), Boolean::logicalOr);
                }
            }
            List<ImpactItem> heads = depth.entrySet().stream()
                    .filter(e -> headRef(lineage.get(), e.getKey().id(), asOf).filter(e.getKey()::equals).isPresent())
                    .map(e -> new ImpactItem(e.getKey(), e.getValue(), floating.get(e.getKey())))
                    .toList();
            return page(heads, i -> new GraphKey(i.depth(), i.ref()), after, limit);
        }
    }

    /** The saga store of one unit of work: the ledger's one lock already serializes it, as FOR UPDATE would. */
    private final class Sagas implements SagaRecords {
        private final Deque<Runnable> undoLog;

        Sagas(Deque<Runnable> undoLog) {
            this.undoLog = undoLog;
        }

        @Override
        public void insert(SagaInstance saga) {
            String key = saga.id().toString();
            if (sagas.containsKey(key)) throw new DuplicateWriteException("saga " + key + " exists", null);
            JsonNode author = saga.context().path("author");
            JsonNode idempotencyKey = saga.context().path("idempotencyKey");
            if (author.isTextual() && idempotencyKey.isTextual() && sagas.values().stream().anyMatch(s ->
                    author.equals(s.context().path("author")) && idempotencyKey.equals(s.context().path("idempotencyKey")))) {
                // as PostgreSQL's saga_instances_idempotency_key_idx
                throw new DuplicateWriteException("idempotency key " + idempotencyKey.textValue() + " is taken", null);
            }
            sagas.put(key, stored(saga, saga.lockVersion()));
            undoLog.push(() -> sagas.remove(key));
        }

        @Override
        public Optional<SagaInstance> find(UUID id) {
            return Optional.ofNullable(sagas.get(id.toString()));
        }

        @Override
        public Optional<SagaInstance> findForUpdate(UUID id) {
            return find(id);
        }

        @Override
        public boolean update(SagaInstance saga) {
            String key = saga.id().toString();
            SagaInstance before = sagas.get(key);
            if (before == null || before.lockVersion() != saga.lockVersion()) return false;
            sagas.put(key, new SagaInstance(before.id(), before.sagaType(), saga.currentState(), saga.status(),
                    saga.context(), before.correlationId(), before.lockVersion() + 1, before.createdAt(),
                    saga.updatedAt().truncatedTo(ChronoUnit.MICROS)));
            undoLog.push(() -> sagas.put(key, before));
            return true;
        }

        @Override
        public Optional<SagaInstance> findByIdempotencyKey(VibeRef author, String key) {
            return sagas.values().stream()
                    .filter(s -> s.context().path("idempotencyKey").isTextual()
                            && s.context().path("idempotencyKey").textValue().equals(key)
                            && s.context().path("author").isTextual()
                            && s.context().path("author").textValue().equals(author.toString()))
                    .findFirst();
        }

        @Override
        public List<SagaInstance> list(Optional<SagaStatus> status, Optional<VibeRef> sagaType,
                                       Optional<Instant> notUpdatedSince, Optional<UUID> afterId, int limit) {
            var from = afterId.map(a -> sagas.tailMap(a.toString(), false)).orElse(sagas);
            return from.values().stream()
                    .filter(s -> status.map(s.status()::equals).orElse(true))
                    .filter(s -> sagaType.map(s.sagaType()::equals).orElse(true))
                    .filter(s -> notUpdatedSince.map(s.updatedAt()::isBefore).orElse(true))
                    .limit(limit)
                    .toList();
        }

        private static SagaInstance stored(SagaInstance s, int version) {
            return new SagaInstance(s.id(), s.sagaType(), s.currentState(), s.status(), s.context(), s.correlationId(),
                    version, s.createdAt().truncatedTo(ChronoUnit.MICROS), s.updatedAt().truncatedTo(ChronoUnit.MICROS));
        }
    }
}
