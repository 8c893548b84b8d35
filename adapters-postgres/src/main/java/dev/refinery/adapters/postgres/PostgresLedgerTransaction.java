package dev.refinery.adapters.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.port.Edge;
import dev.refinery.application.port.GraphKey;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.application.port.SagaRecords;
import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.Revision;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Visibility;
import dev.refinery.domain.schema.SchemaClosure;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One unit of work on one DbClient transaction (READ COMMITTED: every statement sees what committed
 * before it, so what a lock protects is read after taking it). Locks are transaction-scoped advisory
 * locks: they need no privilege (a {@code SELECT ... FOR SHARE} on {@code branches} would need
 * {@code UPDATE} on it) and end with the transaction.
 */
final class PostgresLedgerTransaction implements LedgerTransaction {

    /**
     * The scopes a branch sees (BranchLineage): itself unbounded, then each base up to the smallest fork
     * point on the way down. Takes the branch name as its one parameter.
     */
    private static final String LINEAGE = "WITH RECURSIVE " + lineage("scope");

    /** {@link #LINEAGE}'s common table expression under another name. */
    private static String lineage(String name) {
        return """
                %1$s(branch, bound, base, fork) AS (
                    SELECT b.name, 9223372036854775807::BIGINT, b.base, b.fork_refinement_id
                    FROM branches b WHERE b.name = ?
                  UNION ALL
                    SELECT b.name, LEAST(s.bound, s.fork), b.base, b.fork_refinement_id
                    FROM %1$s s JOIN branches b ON b.name = s.base
                )
                """.formatted(name);
    }

    /** Visibility entries admitted by the lineage: {@code vv} joined to {@code scope s}. */
    private static final String VISIBLE = """
            scope s JOIN vibe_visibility vv ON vv.branch = s.branch AND vv.refinement_id <= s.bound
            """;

    /** Vibes inserted by one statement: 14 parameters each, well below the protocol's 65,535. */
    private static final int VIBES_PER_STATEMENT = 1_000;

    /** Ids and names read by one statement of readForWrite: 3 parameters each. */
    private static final int WANTED_PER_STATEMENT = 1_000;

    private final DbExecute db;
    private final PostgresSagaRecords sagas;
    private boolean rollbackOnly;
    private boolean plannedAsWalk;

    PostgresLedgerTransaction(DbExecute db) {
        this.db = db;
        this.sagas = new PostgresSagaRecords(db);
    }

    boolean isRollbackOnly() {
        return rollbackOnly;
    }

    // ---- locks ---------------------------------------------------------------------------------

    @Override
    public void lockBranchForWrite(BranchName branch) {
        one("SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))::TEXT AS locked", BRANCH_LOCK + branch);
    }

    @Override
    public void lockBranchExclusively(BranchName branch) {
        one("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))::TEXT AS locked", BRANCH_LOCK + branch);
    }

    @Override
    public void lockId(BranchName branch, VibeId id) {
        one("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))::TEXT AS locked", idLock(branch, id));
    }

    private static final String BRANCH_LOCK = "refinery/branch:";

    private static String idLock(BranchName branch, VibeId id) {
        return "refinery/id:" + branch + "@" + id;
    }

    @Override
    public void lockIdempotencyKey(String name) {
        one("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))::TEXT AS locked", "refinery/idempotency:" + name);
    }

    /** Lists of at most this many texts are VALUES lists in a statement's text (see {@link #startWrite}). */
    private static final int LISTED_INLINE = 32;

    /**
     * {@code values} as a FROM item named {@code alias}, its rows numbered from 1 in order: a VALUES list of one
     * parameter a row up to {@link #LISTED_INLINE} of them, else {@code unnest} of one array parameter.
     */
    private static String textList(List<String> values, List<Object> params, String alias) {
        if (values.size() > LISTED_INLINE) {
            params.add(values.toArray(String[]::new));
            return "unnest(?::TEXT[]) WITH ORDINALITY AS " + alias;
        }
        StringBuilder sql = new StringBuilder("(VALUES ");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "(?::TEXT, 1::BIGINT)" : ", (?, " + (i + 1) + ")");
            params.add(values.get(i));
        }
        return sql.append(") AS ").append(alias).toString();
    }

    /**
     * One round trip: the branch row, the author's kind, the inputs with no vibe and, only when the branch row
     * exists, the locks in the order of the list (a VALUES or function scan yields its rows in order; the
     * uncorrelated subquery is an InitPlan, run when the row is projected). The branch, the author and the inputs
     * are read with the statement's snapshot, taken before any wait for a lock: none of them ever changes or goes
     * away.
     *
     * <p>Up to {@link #LISTED_INLINE} keys and inputs come as VALUES lists, whose row counts a generic plan knows
     * as well as a custom one, so that the statement is planned once per connection and size. With arrays the
     * generic plan guessed 10 rows for each {@code unnest}, came out dearer than the custom plans, and the
     * statement was planned again on every call (0.23–0.34 ms of PostgreSQL's CPU per refine, more than the
     * statement's own execution; pg_stat_statements, 2026-12-04).
     */
    @Override
    public Optional<WriteStart> startWrite(BranchName branch, List<VibeId> ids, VibeRef author,
                                           Collection<VibeRef> inputs) {
        List<String> keys = new ArrayList<>(ids.size() + 1);
        keys.add(BRANCH_LOCK + branch);
        ids.forEach(id -> keys.add(idLock(branch, id)));
        List<String> inputRefs = inputs.stream().map(VibeRef::toString).toList();
        List<Object> params = new ArrayList<>();
        params.add(author.toString());
        String missing;
        if (inputRefs.isEmpty()) {
            missing = "NULL::TEXT";
        } else {
            missing = "(SELECT array_to_json(array_agg(i.ref))::TEXT FROM " + textList(inputRefs, params, "i(ref)")
                    + " WHERE NOT EXISTS (SELECT 1 FROM vibes x WHERE x.ref = i.ref))";
        }
        String locks = "(SELECT count(CASE WHEN l.n = 1 THEN pg_advisory_xact_lock_shared(hashtextextended(l.k, 0))::TEXT "
                + "ELSE pg_advisory_xact_lock(hashtextextended(l.k, 0))::TEXT END) FROM "
                + textList(keys, params, "l(k, n)") + ")";
        params.add(branch.value());
        return one("SELECT " + BranchRow.COLUMNS + ", (SELECT a.kind FROM vibes a WHERE a.ref = ?) AS author_kind, "
                        + missing + " AS missing, " + locks + " AS locks FROM branches b WHERE b.name = ?",
                params.toArray())
                .map(r -> new WriteStart(BranchRow.from(r).toDomain(),
                        Optional.ofNullable(Rows.text(r, "author_kind")).map(Kind::parse), missing(r)));
    }

    private static Set<VibeRef> missing(DbRow row) {
        String json = Rows.text(row, "missing");
        if (json == null) return Set.of();
        Set<VibeRef> refs = new LinkedHashSet<>();
        Json.read(json).forEach(ref -> refs.add(VibeRef.parse(ref.asText())));
        return refs;
    }

    @Override
    public void setRollbackOnly() {
        rollbackOnly = true;
    }

    // ---- branches ------------------------------------------------------------------------------

    @Override
    public Optional<Branch> branch(BranchName name) {
        return one("SELECT " + BranchRow.COLUMNS + " FROM branches b WHERE b.name = ?", name.value())
                .map(r -> BranchRow.from(r).toDomain());
    }

    @Override
    public List<Branch> branches() {
        return list("SELECT " + BranchRow.COLUMNS + " FROM branches b ORDER BY b.name", r -> BranchRow.from(r).toDomain());
    }

    @Override
    public boolean insertBranch(Branch branch) {
        return db.insert("""
                        INSERT INTO branches (name, base, fork_refinement_id, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING""",
                branch.name().value(), branch.base().map(BranchName::value).orElse(null), branch.forkRefinementId(),
                Rows.timestamp(branch.createdAt()), branch.createdBy().toString()) == 1;
    }

    // ---- refinements ---------------------------------------------------------------------------

    @Override
    public long nextRefinementId() {
        return Rows.number(one("SELECT nextval('refinement_id_seq') AS id").orElseThrow(), "id");
    }

    @Override
    public long lastRefinementId() {
        return Rows.number(one("SELECT coalesce(max(id), 0) AS id FROM refinements").orElseThrow(), "id");
    }

    @Override
    public Optional<Refinement> refinement(long id) {
        return one("SELECT " + RefinementRow.COLUMNS + " FROM refinements r WHERE r.id = ?", id)
                .map(r -> RefinementRow.from(r).toDomain());
    }

    @Override
    public Optional<Refinement> refinementByIdempotencyKey(VibeRef author, String key) {
        // on refinements_author_key_idx: a run's result ('process') keeps its key apart
        return one("SELECT " + RefinementRow.COLUMNS + " FROM refinements r WHERE r.author_ref = ? "
                + "AND r.idempotency_key = ? AND r.kind <> 'process'", author.toString(), key)
                .map(r -> RefinementRow.from(r).toDomain());
    }

    @Override
    public List<Refinement> refinements(Optional<BranchName> branch, Optional<VibeRef> author, long beforeId,
                                        int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + RefinementRow.COLUMNS + " FROM refinements r WHERE r.id < ?");
        List<Object> params = new ArrayList<>();
        params.add(beforeId);
        branch.ifPresent(b -> {
            sql.append(" AND r.branch = ?");
            params.add(b.value());
        });
        author.ifPresent(a -> {
            sql.append(" AND r.author_ref = ?");
            params.add(a.toString());
        });
        sql.append(" ORDER BY r.id DESC LIMIT ?");
        params.add(limit);
        return list(sql.toString(), r -> RefinementRow.from(r).toDomain(), params.toArray());
    }

    @Override
    public void append(Refinement refinement, List<Vibe> vibes, List<Visibility> visibilities) {
        // The refinement and its first new vibes in one statement, one round trip: the foreign keys are checked
        // at commit, and the vibes' triggers (branches, visibility row, edges) run as they would row by row.
        List<Object> params = new ArrayList<>(Arrays.asList(refinement.id(), refinement.branch().value(),
                refinement.authorRef().toString(), refinement.kind().wireName(),
                RefinementRow.texts(refinement.targetRefs()), RefinementRow.texts(refinement.instructionRefs()),
                RefinementRow.texts(refinement.budgetRefs()), RefinementRow.texts(refinement.outputRefs()),
                refinement.message(), refinement.idempotencyKey().orElse(null),
                refinement.requestDigest().map(Digest::value).orElse(null), Rows.timestamp(refinement.createdAt())));
        String insertRefinement = """
                INSERT INTO refinements (id, branch, author_ref, kind, target_refs, instruction_refs, budget_refs,
                                         output_refs, message, idempotency_key, request_digest, created_at)
                VALUES (?, ?, ?, ?, ?::TEXT[], ?::TEXT[], ?::TEXT[], ?::TEXT[], ?, ?, ?, ?)""";
        if (vibes.isEmpty()) {
            db.insert(insertRefinement, params.toArray());
        }
        for (int from = 0; from < vibes.size(); from += VIBES_PER_STATEMENT) {
            List<Vibe> chunk = vibes.subList(from, Math.min(vibes.size(), from + VIBES_PER_STATEMENT));
            StringBuilder sql = new StringBuilder(from == 0 ? "WITH refinement AS (" + insertRefinement + ")\n" : "");
            // branches and the edges are the triggers' work; visible on its own branch from createdAt
            sql.append("""
                    INSERT INTO vibes (ref, id, branch, revision, kind, branches, author_ref, prototype_ref,
                                       refinement_id, context, schema, solution, schema_refs, digest, created_at)
                    VALUES """);
            String separator = "";
            for (Vibe v : chunk) {
                sql.append(separator).append("(?, ?, ?, ?, ?, '{}', ?, ?, ?, ?::JSONB, ?::JSONB, ?::JSONB, ?::TEXT[], ?, ?)");
                separator = ", ";
                params.addAll(Arrays.asList(v.ref().toString(), v.id().value(), v.branch().value(),
                        v.revision().value(), v.kind().name(), v.authorRef().toString(),
                        v.prototypeRef().map(VibeRef::toString).orElse(null), v.refinementId(),
                        Json.write(v.context()), Json.write(v.schema()), Json.write(v.solution()),
                        RefinementRow.texts(v.schemaRefs()), v.digest().value(), Rows.timestamp(v.createdAt())));
            }
            db.insert(sql.toString(), params.toArray());
            params.clear();
        }
        // a merge's fast-forwards share their branch, refinement and instant: one statement for all of them
        Map<List<Object>, List<String>> refsByEntry = new LinkedHashMap<>();
        for (Visibility v : visibilities) {
            refsByEntry.computeIfAbsent(List.of(v.branch().value(), v.refinementId(), v.visibleAt()), k -> new ArrayList<>())
                    .add(v.ref().toString());
        }
        refsByEntry.forEach((entry, refs) -> db.insert(
                "INSERT INTO vibe_visibility (ref, branch, refinement_id, visible_at) SELECT r.ref, ?, ?, ? "
                        + "FROM unnest(?::TEXT[]) WITH ORDINALITY AS r(ref, n) ORDER BY r.n",
                entry.get(0), entry.get(1), Rows.timestamp((Instant) entry.get(2)), refs.toArray(String[]::new)));
    }

    // ---- vibes ---------------------------------------------------------------------------------

    @Override
    public Optional<Vibe> vibe(VibeRef ref) {
        return one("SELECT " + VibeRow.COLUMNS + " FROM vibes v WHERE v.ref = ?", ref.toString())
                .map(r -> VibeRow.from(r).toDomain());
    }

    /**
     * A scalar subquery after {@link #LINEAGE}: the ref of the visible entry of an id with the highest revision
     * (parameters: id, then the revision when {@code exactRevision}, then as-of), ties broken by ref. Each scope
     * of the lineage is probed on its own through {@code vibe_visibility_head_idx} (a LATERAL top-1), so the plan
     * does not hang on statistics: a recursive CTE's row count is a guess, and a young ledger's tables have none
     * (a hash join over a sequential scan of vibe_visibility was chosen until autovacuum's first ANALYZE).
     */
    private static String visibleRef(boolean exactRevision) {
        return visibleRef("?", exactRevision);
    }

    /** {@link #visibleRef(boolean)} of the id {@code idExpression} (a parameter or a column). */
    private static String visibleRef(String idExpression, boolean exactRevision) {
        return "SELECT h.ref FROM scope s CROSS JOIN LATERAL (SELECT vv.ref, vv.revision FROM vibe_visibility vv "
                + "WHERE vv.branch = s.branch AND vv.id = " + idExpression + " " + (exactRevision ? "AND vv.revision = ? " : "")
                + "AND vv.refinement_id <= s.bound AND vv.visible_at <= ? ORDER BY vv.revision DESC, vv.ref LIMIT 1) h "
                + "ORDER BY h.revision DESC, h.ref LIMIT 1";
    }

    @Override
    public Optional<Vibe> head(BranchName branch, VibeId id, Instant asOf) {
        return one(LINEAGE + "SELECT " + VibeRow.COLUMNS + " FROM vibes v WHERE v.ref = (" + visibleRef(false) + ")",
                branch.value(), id.value(), Rows.timestamp(asOf))
                .map(r -> VibeRow.from(r).toDomain());
    }

    @Override
    public Optional<Vibe> visibleRevision(BranchName branch, VibeId id, Revision revision, Instant asOf) {
        return one(LINEAGE + "SELECT " + VibeRow.COLUMNS + " FROM vibes v WHERE v.ref = (" + visibleRef(true) + ")",
                branch.value(), id.value(), revision.value(), Rows.timestamp(asOf))
                .map(r -> VibeRow.from(r).toDomain());
    }

    @Override
    public boolean isVisible(VibeRef ref, BranchName branch) {
        return one(LINEAGE + "SELECT 1 AS visible FROM " + VISIBLE + " WHERE vv.ref = ? LIMIT 1",
                branch.value(), ref.toString()).isPresent();
    }

    /** The refs' entries through the primary key (ref, branch), each checked against the lineage's scopes. */
    @Override
    public Set<VibeRef> visibleOf(BranchName branch, Collection<VibeRef> refs) {
        Set<VibeRef> visible = new LinkedHashSet<>();
        if (refs.isEmpty()) return visible;
        list(LINEAGE + "SELECT DISTINCT vv.ref FROM unnest(?::TEXT[]) AS r(ref) "
                        + "JOIN vibe_visibility vv ON vv.ref = r.ref JOIN scope s ON s.branch = vv.branch "
                        + "WHERE vv.refinement_id <= s.bound",
                row -> VibeRef.parse(Rows.text(row, "ref")), branch.value(),
                refs.stream().map(VibeRef::toString).distinct().toArray(String[]::new)).forEach(visible::add);
        return visible;
    }

    /** Per scope and id, a range of {@code vibe_visibility_head_idx}; newest first, as {@link #history}. */
    @Override
    public Map<VibeId, List<VibeRef>> historyRefs(BranchName branch, Collection<VibeId> ids) {
        Map<VibeId, List<VibeRef>> refs = new LinkedHashMap<>();
        if (ids.isEmpty()) return refs;
        list(LINEAGE + "SELECT DISTINCT vv.id, vv.revision, vv.ref FROM unnest(?::TEXT[]) AS i(id) CROSS JOIN scope s "
                        + "JOIN vibe_visibility vv ON vv.branch = s.branch AND vv.id = i.id AND vv.refinement_id <= s.bound "
                        + "ORDER BY vv.id, vv.revision DESC, vv.ref",
                row -> VibeRef.parse(Rows.text(row, "ref")), branch.value(),
                ids.stream().map(VibeId::value).distinct().toArray(String[]::new))
                .forEach(ref -> refs.computeIfAbsent(ref.id(), k -> new ArrayList<>()).add(ref));
        return refs;
    }

    @Override
    public List<Vibe> history(BranchName branch, VibeId id, Instant asOf, int beforeRevision, int limit) {
        return list(LINEAGE + ", visible AS (SELECT DISTINCT vv.ref, vv.revision FROM " + VISIBLE
                        + " WHERE vv.id = ? AND vv.visible_at <= ? AND vv.revision < ?) "
                        + "SELECT " + VibeRow.COLUMNS + " FROM visible h JOIN vibes v ON v.ref = h.ref "
                        + "ORDER BY h.revision DESC, h.ref LIMIT ?",
                r -> VibeRow.from(r).toDomain(),
                branch.value(), id.value(), Rows.timestamp(asOf), beforeRevision, limit);
    }

    /**
     * A walk over candidate ids in order, as many as the page needs, so that a page costs the same whatever the
     * ledger's size: each step is the next candidate after the last one, then its head on the branch; the walk
     * stops once {@code limit} heads were found or past the prefix. The candidates are the lineage's visible ids (the
     * smallest visible id after the last, a top-1 index probe per scope) — or, for a kind other than RECORD, the ids
     * that have a vibe of that kind anywhere ({@code vibes_kind_idx}, V9: few, as processes, capabilities and roles
     * are), whose head on the branch is then checked to be of it.
     */
    @Override
    public List<Vibe> heads(BranchName branch, Instant asOf, String idPrefix, Optional<Kind> kind,
                            Optional<VibeId> afterId, int limit) {
        String after = afterId.map(VibeId::value).orElse("");
        Object at = Rows.timestamp(asOf);
        Optional<String> ofKind = kind.map(Kind::name);
        boolean byKindIndex = kind.isPresent() && kind.get() != Kind.RECORD;
        // the next candidate after the ids that %s selects (its parameters: see below)
        String candidate = byKindIndex
                ? "SELECT min(c.id) FROM vibes c WHERE c.kind = ? AND c.kind <> 'RECORD' AND %s"
                : "SELECT min(m.id) FROM scope s CROSS JOIN LATERAL (SELECT vv.id FROM vibe_visibility vv "
                        + "WHERE vv.branch = s.branch AND %s AND vv.refinement_id <= s.bound AND vv.visible_at <= ? "
                        + "ORDER BY vv.id LIMIT 1) m";
        String column = byKindIndex ? "c.id" : "vv.id";
        String hit = ofKind.isEmpty() ? "CASE WHEN h.ref IS NULL THEN 0 ELSE 1 END"
                : "coalesce((SELECT 1 FROM vibes hv WHERE hv.ref = h.ref AND hv.kind = ?), 0)";
        String head = "CROSS JOIN LATERAL (SELECT (" + visibleRef("%s", false) + ") AS ref) h ";
        // the parameters in the order the text below holds them
        List<Object> params = new ArrayList<>();
        params.add(branch.value());                       // the lineage
        ofKind.ifPresent(params::add);                    // first step: its hit
        if (byKindIndex) params.add(ofKind.get());        //   its candidate
        params.addAll(List.of(after, idPrefix));
        if (!byKindIndex) params.add(at);
        params.add(at);                                   //   its head
        params.add(idPrefix);                             //   within the prefix
        ofKind.ifPresent(params::add);                    // next steps: their hit
        if (byKindIndex) params.add(ofKind.get());        //   their candidate
        if (!byKindIndex) params.add(at);
        params.add(at);                                   //   their head
        params.addAll(List.of(limit, idPrefix));          //   until the page is full or past the prefix
        ofKind.ifPresent(params::add);                    // the page's filter
        String sql = LINEAGE + ", walk(id, ref, hits) AS ("
                + "SELECT f.id, h.ref, " + hit + " FROM ("
                + candidate.formatted(column + " > ? AND " + column + " >= ?") + ") f(id) " + head.formatted("f.id")
                + "WHERE starts_with(f.id, ?) "
                + "UNION ALL SELECT x.id, h.ref, w.hits + " + hit + " FROM walk w CROSS JOIN LATERAL ("
                + candidate.formatted(column + " > w.id") + ") x(id) " + head.formatted("x.id")
                + "WHERE w.hits < ? AND starts_with(x.id, ?)) "
                + "SELECT " + VibeRow.COLUMNS + " FROM walk w JOIN vibes v ON v.ref = w.ref"
                + (ofKind.isPresent() ? " WHERE v.kind = ?" : "") + " ORDER BY w.id";
        return list(sql, r -> VibeRow.from(r).toDomain(), params.toArray());
    }

    /** One index probe per id and scope (as {@link #head}), all the ids in one round trip. */
    @Override
    public Map<VibeId, VibeRef> headRefs(BranchName branch, Collection<VibeId> ids) {
        Map<VibeId, VibeRef> heads = new LinkedHashMap<>();
        if (ids.isEmpty()) return heads;
        for (String ref : list(LINEAGE + "SELECT (" + visibleRef("i.id", false) + ") AS ref "
                        + "FROM unnest(?::TEXT[]) WITH ORDINALITY AS i(id, n) ORDER BY i.n",
                r -> Rows.text(r, "ref"), branch.value(), Rows.timestamp(Instant.MAX),
                ids.stream().map(VibeId::value).toArray(String[]::new))) {
            if (ref == null) continue;
            VibeRef head = VibeRef.parse(ref);
            heads.put(head.id(), head);
        }
        return heads;
    }

    /**
     * An entry of branch X with refinement id r is admitted by a lineage that holds X with a bound of at least r.
     * So per scope of {@code seenOn}'s lineage, the entries not admitted by {@code notOn}'s are those with r above
     * {@code notOn}'s bound for the same branch (0 when it has none) and at most the scope's: a scope whose range is
     * empty (a base both lineages see up to the same fork, main merged into its own branch) is not read at all (the
     * condition is the scan's one-time filter); the others are read through {@code vibe_visibility_head_idx}.
     */
    @Override
    public List<VibeId> idsSeenOnlyOn(BranchName seenOn, BranchName notOn) {
        return list("WITH RECURSIVE " + lineage("seen") + ", " + lineage("unseen")
                        + "SELECT DISTINCT x.id FROM seen s "
                        + "CROSS JOIN LATERAL (SELECT coalesce(max(u.bound), 0) AS bound FROM unseen u WHERE u.branch = s.branch) u "
                        + "CROSS JOIN LATERAL (SELECT vv.id FROM vibe_visibility vv WHERE u.bound < s.bound "
                        + "AND vv.branch = s.branch AND vv.refinement_id > u.bound AND vv.refinement_id <= s.bound) x "
                        + "ORDER BY x.id",
                r -> new VibeId(Rows.text(r, "id")), seenOn.value(), notOn.value());
    }

    // ---- the dependency graph ------------------------------------------------------------------

    @Override
    public Optional<SchemaClosure> closure(VibeRef root) {
        // the whole closure in one round trip, whatever its depth
        Map<VibeRef, JsonNode> schemas = new LinkedHashMap<>();
        list("""
                        WITH RECURSIVE closure(ref) AS (
                            SELECT ref FROM vibes WHERE ref = ?
                          UNION
                            SELECT e.to_ref FROM closure c JOIN vibe_refs e ON e.from_ref = c.ref AND e.type = 'schema'
                        )
                        SELECT v.ref, v.schema::text AS schema FROM closure c JOIN vibes v ON v.ref = c.ref""",
                r -> schemas.put(VibeRef.parse(Rows.text(r, "ref")), Json.read(Rows.text(r, "schema"))),
                root.toString());
        if (!schemas.containsKey(root)) return Optional.empty();
        return Optional.of(new SchemaClosure(root, schemas));
    }

    @Override
    public Optional<SchemaClosure> visibleClosure(BranchName branch, VibeId id, Optional<Revision> revision) {
        // what head() or visibleRevision() finds, and its whole closure as closure() reads it, in one round trip;
        // every step an index probe whatever the statistics say (LATERAL with LIMIT or OFFSET 0 is not flattened)
        List<Object> params = new ArrayList<>(List.of(branch.value(), id.value()));
        revision.ifPresent(r -> params.add(r.value()));
        params.add(Rows.timestamp(Instant.MAX));
        VibeRef[] root = new VibeRef[1];
        Map<VibeRef, JsonNode> schemas = new LinkedHashMap<>();
        list(LINEAGE + ", root AS (" + visibleRef(revision.isPresent()) + """
                        ), closure(ref) AS (
                            SELECT v.ref FROM root r JOIN vibes v ON v.ref = r.ref
                          UNION
                            SELECT e.to_ref FROM closure c CROSS JOIN LATERAL (
                                SELECT e.to_ref FROM vibe_refs e WHERE e.from_ref = c.ref AND e.type = 'schema' OFFSET 0) e
                        )
                        SELECT c.ref, v.schema, c.ref = (SELECT r.ref FROM root r) AS is_root
                        FROM closure c CROSS JOIN LATERAL (
                            SELECT v.schema::text AS schema FROM vibes v WHERE v.ref = c.ref LIMIT 1) v""",
                r -> {
                    VibeRef ref = VibeRef.parse(Rows.text(r, "ref"));
                    if (Rows.bool(r, "is_root")) root[0] = ref;
                    return schemas.put(ref, Json.read(Rows.text(r, "schema")));
                },
                params.toArray());
        if (root[0] == null) return Optional.empty();
        return Optional.of(new SchemaClosure(root[0], schemas));
    }

    /**
     * One round trip (per 1,000 wanted entries): each id's visible entry found as {@link #visibleRef} finds it
     * (a LATERAL top-1 per lineage scope; a head is the revision range 1..max, a named revision the range of
     * that one), then the heads' vibe rows and the named ones' closures, as {@link #head} and
     * {@link #visibleClosure} read them.
     */
    @Override
    public WriteReads readForWrite(BranchName branch, Collection<VibeId> ids, Collection<Named> named) {
        return readForWrite(branch, ids, named, false);
    }

    /** The refinement id as one more column of the first statement: {@code nextval} once, in a CTE of its own. */
    @Override
    public WriteReads readForWriteReservingId(BranchName branch, Collection<VibeId> ids, Collection<Named> named) {
        return readForWrite(branch, ids, named, true);
    }

    private WriteReads readForWrite(BranchName branch, Collection<VibeId> ids, Collection<Named> named, boolean reserve) {
        List<VibeId> headIds = List.copyOf(new LinkedHashSet<>(ids));
        List<Named> names = List.copyOf(new LinkedHashSet<>(named));
        int count = headIds.size() + names.size();
        Map<VibeId, Optional<Vibe>> heads = new LinkedHashMap<>();
        headIds.forEach(id -> heads.put(id, Optional.empty()));
        List<Map<VibeRef, JsonNode>> schemas = new ArrayList<>();
        names.forEach(n -> schemas.add(new LinkedHashMap<>()));
        VibeRef[] roots = new VibeRef[names.size()];
        long[] reserved = {-1};
        if (count == 0 && reserve) reserved[0] = nextRefinementId();
        for (int from = 0; from < count; from += WANTED_PER_STATEMENT) {
            boolean reserveHere = reserve && from == 0;
            // a VALUES list, not arrays: its row count is known to the generic plan as to a custom one, so the
            // statement is planned once per connection (with unnest(?) it was planned again on every call)
            StringBuilder values = new StringBuilder();
            List<Object> params = new ArrayList<>();
            params.add(branch.value());
            for (int i = from; i < Math.min(count, from + WANTED_PER_STATEMENT); i++) {
                boolean head = i < headIds.size();
                Optional<Revision> revision = head ? Optional.empty() : names.get(i - headIds.size()).revision();
                values.append(i == from ? "(?::TEXT, ?::INT, ?::INT, " : ", (?, ?, ?, ").append(i).append(", ")
                        .append(head).append(')');
                params.add(head ? headIds.get(i).value() : names.get(i - headIds.size()).id().value());
                params.add(revision.map(Revision::value).orElse(1));
                params.add(revision.map(Revision::value).orElse(Integer.MAX_VALUE));
            }
            params.add(Rows.timestamp(Instant.MAX));
            list(LINEAGE + """
                            , wanted(id, low, high, n, is_head) AS (VALUES\s""" + values + """
                            ), found AS (
                                SELECT w.n, w.is_head, (SELECT h.ref FROM scope s CROSS JOIN LATERAL (
                                        SELECT vv.ref, vv.revision FROM vibe_visibility vv
                                        WHERE vv.branch = s.branch AND vv.id = w.id AND vv.revision BETWEEN w.low AND w.high
                                          AND vv.refinement_id <= s.bound AND vv.visible_at <= ?
                                        ORDER BY vv.revision DESC, vv.ref LIMIT 1) h
                                    ORDER BY h.revision DESC, h.ref LIMIT 1) AS ref
                                FROM wanted w
                            ), closure(n, ref) AS (
                                SELECT f.n, f.ref FROM found f WHERE NOT f.is_head AND f.ref IS NOT NULL
                              UNION
                                SELECT c.n, e.to_ref FROM closure c CROSS JOIN LATERAL (
                                    SELECT e.to_ref FROM vibe_refs e WHERE e.from_ref = c.ref AND e.type = 'schema' OFFSET 0) e
                            ), wanted_rows(n, ref, is_root) AS (
                                SELECT f.n, f.ref, TRUE FROM found f WHERE f.is_head AND f.ref IS NOT NULL
                              UNION ALL
                                SELECT c.n, c.ref, c.ref = f.ref FROM closure c JOIN found f ON f.n = c.n
                            )
                            """ + (reserveHere ? """
                            , reserved AS MATERIALIZED (SELECT nextval('refinement_id_seq') AS reserved_id)
                            SELECT x.reserved_id, f.* FROM reserved x LEFT JOIN (
                            """ : "") + """
                            SELECT r.n, r.is_root,\s""" + VibeRow.COLUMNS
                            + " FROM wanted_rows r CROSS JOIN LATERAL (SELECT * FROM vibes v WHERE v.ref = r.ref LIMIT 1) v"
                            + (reserveHere ? ") f ON TRUE" : ""),
                    r -> {
                        if (reserveHere) {
                            reserved[0] = Rows.number(r, "reserved_id");
                            if (r.column("n").get(Object.class) == null) return null;
                        }
                        int n = (int) Rows.number(r, "n");
                        if (n < headIds.size()) {
                            return heads.put(headIds.get(n), Optional.of(VibeRow.from(r).toDomain()));
                        }
                        VibeRef ref = VibeRef.parse(Rows.text(r, "ref"));
                        if (Rows.bool(r, "is_root")) roots[n - headIds.size()] = ref;
                        return schemas.get(n - headIds.size()).put(ref, Json.read(Rows.text(r, "schema")));
                    },
                    params.toArray());
        }
        Map<Named, Optional<SchemaClosure>> closures = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            closures.put(names.get(i), roots[i] == null ? Optional.empty()
                    : Optional.of(new SchemaClosure(roots[i], schemas.get(i))));
        }
        return new WriteReads(heads, closures, reserve ? OptionalLong.of(reserved[0]) : OptionalLong.empty());
    }

    @Override
    public List<Edge> dependencies(VibeRef ref, boolean transitive, Optional<GraphKey> after, int limit) {
        return walk(ref, transitive, "from_ref", "to_ref", after, limit);
    }

    @Override
    public List<Edge> dependents(VibeRef ref, boolean transitive, Optional<GraphKey> after, int limit) {
        return walk(ref, transitive, "to_ref", "from_ref", after, limit);
    }

    /**
     * Edges leaving {@code ref} in one direction of the graph: {@code near} is the column that holds the vibe we
     * stand on, {@code far} the one we reach. Each reached vibe once, by its first (breadth-first) edge.
     *
     * <p>The first level is a keyset range of {@code vibe_refs} read in order and stopped at {@code limit}
     * ({@code vibe_refs_dependents_idx} serves dependents as an index-only scan; a vibe's dependencies are few).
     * Deeper levels need the whole walk: a vibe's smallest depth is known only once every shorter path has been
     * followed, so a page past the first level walks everything and sorts it ({@code GraphKey} order), which is
     * proportional to what is reachable, not to the ledger.
     */
    private List<Edge> walk(VibeRef ref, boolean transitive, String near, String far, Optional<GraphKey> after,
                            int limit) {
        List<Edge> page = new ArrayList<>();
        if (after.isEmpty() || after.get().depth() == 1) {
            // 'schema' sorts after 'prototype' (the only two types): DESC puts the schema edge first, as EdgeType does
            page.addAll(list(("SELECT DISTINCT ON (e.FAR) e.from_ref, e.to_ref, e.type, e.pinned, 1 AS depth "
                            + "FROM vibe_refs e WHERE e.NEAR = ? AND e.FAR > ? ORDER BY e.FAR, e.type DESC LIMIT ?")
                            .replace("FAR", far).replace("NEAR", near),
                    PostgresLedgerTransaction::edge, ref.toString(), after.map(a -> a.ref().toString()).orElse(""),
                    limit));
            if (!transitive || page.size() == limit) return page;
        } else if (!transitive) {
            return page;
        }
        GraphKey from = after.filter(a -> a.depth() > 1).orElse(null);
        planAsWalk();
        // every edge met from the second level on, at the depth of the path that met it; a vibe's first edge is the
        // one with the lowest depth, then schema before prototype, then the smaller near end; the first level's
        // vibes are not listed again (a depth of 1 is their smallest)
        page.addAll(list("""
                        WITH RECURSIVE walk(from_ref, to_ref, type, pinned, depth) AS (
                            SELECT e.from_ref, e.to_ref, e.type, e.pinned, 2 FROM vibe_refs f CROSS JOIN LATERAL (
                                SELECT e.from_ref, e.to_ref, e.type, e.pinned FROM vibe_refs e
                                WHERE e.NEAR = f.FAR OFFSET 0) e
                            WHERE f.NEAR = ?
                          UNION
                            SELECT e.from_ref, e.to_ref, e.type, e.pinned, w.depth + 1 FROM walk w CROSS JOIN LATERAL (
                                SELECT e.from_ref, e.to_ref, e.type, e.pinned FROM vibe_refs e
                                WHERE e.NEAR = w.FAR OFFSET 0) e
                        )
                        SELECT * FROM (
                            SELECT DISTINCT ON (w.FAR) w.from_ref, w.to_ref, w.type, w.pinned, w.depth FROM walk w
                            WHERE NOT EXISTS (SELECT 1 FROM vibe_refs d WHERE d.NEAR = ? AND d.FAR = w.FAR)
                            ORDER BY w.FAR, w.depth, w.type DESC, w.NEAR
                        ) edges WHERE (depth, FAR) > (?, ?)
                        ORDER BY depth, FAR LIMIT ?""".replace("FAR", far).replace("NEAR", near),
                PostgresLedgerTransaction::edge, ref.toString(), ref.toString(), from == null ? 1 : from.depth(),
                from == null ? "" : from.ref().toString(), limit - page.size()));
        return page;
    }

    /**
     * A scalar subquery after {@link #LINEAGE}: whether the vibe of {@code ref} and {@code id} (SQL expressions) is
     * the head of its id on the branch as of the one parameter, found as {@link #visibleRef} finds it.
     */
    private static String isHead(String ref, String id) {
        return ref + " = (SELECT h.ref FROM scope s CROSS JOIN LATERAL (SELECT vv.ref, vv.revision "
                + "FROM vibe_visibility vv WHERE vv.branch = s.branch AND vv.id = " + id
                + " AND vv.refinement_id <= s.bound AND vv.visible_at <= ? ORDER BY vv.revision DESC, vv.ref LIMIT 1) h "
                + "ORDER BY h.revision DESC, h.ref LIMIT 1)";
    }

    /**
     * The first level (direct dependents of any revision of the id) is a keyset range of
     * {@code vibe_refs_impact_idx} read in order, each vibe's headship checked as it comes, stopped at
     * {@code limit}: a page of it reads about {@code limit} edges and as many heads. Whether such a vibe is
     * floating may depend on a longer path, so when none of its direct edges floats, its own floating references
     * are followed down (its closure, not the dependents). Deeper levels need the whole walk up (see {@link #walk});
     * headship is then checked in the page's order only until the page is full.
     */
    @Override
    public List<ImpactItem> impact(BranchName branch, VibeId id, Instant asOf, Optional<GraphKey> after, int limit) {
        planAsWalk();
        List<ImpactItem> page = new ArrayList<>();
        if (after.isEmpty() || after.get().depth() == 1) {
            page.addAll(list(LINEAGE + """
                            , level(ref, id, floating) AS (
                                SELECT e.from_ref, min(FROM_ID), bool_or(NOT e.pinned) FROM vibe_refs e
                                WHERE e.to_id = ? AND e.type = 'schema' AND FROM_ID <> ? AND e.from_ref > ?
                                GROUP BY e.from_ref
                            )
                            SELECT l.ref, 1 AS depth, CASE WHEN l.floating THEN TRUE ELSE EXISTS (
                                       WITH RECURSIVE down(ref) AS (
                                           SELECT l.ref
                                         UNION
                                           SELECT e.to_ref FROM down d JOIN vibe_refs e ON e.from_ref = d.ref
                                           WHERE e.type = 'schema' AND NOT e.pinned AND e.to_id <> ?)
                                       SELECT 1 FROM down d JOIN vibe_refs e ON e.from_ref = d.ref
                                       WHERE e.type = 'schema' AND NOT e.pinned AND e.to_id = ?) END AS floating
                            FROM level l WHERE\s""".replace("FROM_ID", idOfRef("e.from_ref")) + isHead("l.ref", "l.id")
                            + " ORDER BY l.ref LIMIT ?",
                    PostgresLedgerTransaction::impactItem,
                    branch.value(), id.value(), id.value(), after.map(a -> a.ref().toString()).orElse(""),
                    id.value(), id.value(), Rows.timestamp(asOf), limit));
            if (page.size() == limit) return page;
        }
        GraphKey from = after.filter(a -> a.depth() > 1).orElse(null);
        // from the second level on: a first-level vibe (f) is only walked through, and not listed again
        page.addAll(list(LINEAGE + """
                        , up(ref, id, depth, floating) AS (
                            SELECT e.from_ref, e.from_id, 2, NOT f.pinned AND NOT e.pinned FROM vibe_refs f
                            CROSS JOIN LATERAL (
                                SELECT e.from_ref, E_ID AS from_id, e.pinned FROM vibe_refs e
                                WHERE e.to_ref = f.from_ref AND e.type = 'schema' AND E_ID <> ? OFFSET 0) e
                            WHERE f.to_id = ? AND f.type = 'schema' AND F_ID <> ?
                          UNION
                            SELECT e.from_ref, e.from_id, u.depth + 1, u.floating AND NOT e.pinned
                            FROM up u CROSS JOIN LATERAL (
                                SELECT e.from_ref, E_ID AS from_id, e.pinned FROM vibe_refs e
                                WHERE e.to_ref = u.ref AND e.type = 'schema' AND E_ID <> ? OFFSET 0) e
                        ), reached AS (
                            SELECT ref, id, min(depth) AS depth, bool_or(floating) AS floating FROM up GROUP BY ref, id
                        ), ordered AS (
                            SELECT r.* FROM reached r WHERE (r.depth, r.ref) > (?, ?) AND NOT EXISTS (
                                SELECT 1 FROM vibe_refs d WHERE d.to_id = ? AND d.type = 'schema' AND d.from_ref = r.ref)
                            ORDER BY r.depth, r.ref OFFSET 0
                        )
                        SELECT o.ref, o.depth, o.floating FROM ordered o WHERE\s"""
                        .replace("E_ID", idOfRef("e.from_ref")).replace("F_ID", idOfRef("f.from_ref"))
                        + isHead("o.ref", "o.id") + " ORDER BY o.depth, o.ref LIMIT ?",
                PostgresLedgerTransaction::impactItem,
                branch.value(), id.value(), id.value(), id.value(), id.value(), from == null ? 1 : from.depth(),
                from == null ? "" : from.ref().toString(), id.value(), Rows.timestamp(asOf), limit - page.size()));
        return page;
    }

    private static ImpactItem impactItem(DbRow r) {
        return new ImpactItem(VibeRef.parse(Rows.text(r, "ref")), (int) Rows.number(r, "depth"), Rows.bool(r, "floating"));
    }

    /**
     * The id in a ref (an SQL expression): a ref is {@code BRANCH@ID?REVISION}, and neither a branch nor an id holds
     * {@code @} or {@code ?}; the V1 trigger derives {@code to_id} so. Read from {@code from_ref}, it need not be in
     * the graph indexes, and probes of them stay index-only.
     */
    private static String idOfRef(String ref) {
        return "split_part(split_part(" + ref + ", '@', 2), '?', 1)";
    }

    /**
     * Graph queries are walks of index probes, one per vibe reached, over recursive CTEs whose row counts the planner
     * can only guess. Two of its guesses go badly wrong at 1M vibes: the cost passes {@code jit_above_cost} and
     * PostgreSQL compiles the query (0.4-0.5 s, for queries that then ran in milliseconds), and with few distinct
     * referenced refs it takes each probe for a third of {@code vibe_refs} and plans a sequential scan of it per
     * vibe reached (a walk that never ended). Both off for the rest of this (read) transaction, in one round trip.
     */
    private void planAsWalk() {
        if (plannedAsWalk) return;
        one("SELECT set_config('jit', 'off', true) AS jit, set_config('enable_seqscan', 'off', true) AS seqscan");
        plannedAsWalk = true;
    }

    private static Edge edge(DbRow r) {
        return new Edge(VibeRef.parse(Rows.text(r, "from_ref")), VibeRef.parse(Rows.text(r, "to_ref")),
                Edge.EdgeType.valueOf(Rows.text(r, "type").toUpperCase(java.util.Locale.ROOT)),
                Rows.bool(r, "pinned"), (int) Rows.number(r, "depth"));
    }

    // ---- process runs --------------------------------------------------------------------------

    @Override
    public SagaRecords sagas() {
        return sagas;
    }

    // ---- statements ----------------------------------------------------------------------------

    private Optional<DbRow> one(String sql, Object... params) {
        return db.get(sql, params);
    }

    private <T> List<T> list(String sql, Function<DbRow, T> mapping, Object... params) {
        try (Stream<DbRow> rows = db.query(sql, params)) {
            return rows.map(mapping).toList();
        }
    }
}
