package dev.refinery.application.read;

import dev.refinery.application.port.Edge;
import dev.refinery.application.port.GraphKey;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.read.ReadUseCases.SchemaOutcome;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.Revision;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import dev.refinery.domain.schema.SchemaTooLargeException;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Answers every read use case from one ledger snapshot per question. */
public final class ReadService implements ReadUseCases.ReadVibeUseCase, ReadUseCases.ResolveUriUseCase,
        ReadUseCases.HistoryUseCase, ReadUseCases.ListHeadsUseCase, ReadUseCases.ResolvedSchemaUseCase,
        ReadUseCases.DependenciesUseCase, ReadUseCases.DependentsUseCase, ReadUseCases.ImpactUseCase,
        ReadUseCases.ProvenanceUseCase, ReadUseCases.GetRefinementUseCase, ReadUseCases.ListRefinementsUseCase {

    private final VibeLedger ledger;
    private final Clock clock;
    private final SchemaResolver resolver;

    public ReadService(VibeLedger ledger, Clock clock, SchemaResolver resolver) {
        this.ledger = ledger;
        this.clock = clock;
        this.resolver = resolver;
    }

    @Override
    public Optional<Vibe> read(Queries.ReadVibe q) {
        return ledger.read(tx -> find(tx, q.branch(), q.id(), q.revision(), q.asOf().orElse(Instant.MAX)));
    }

    @Override
    public Optional<Vibe> resolve(Queries.ResolveUri q) {
        return ledger.read(tx -> find(tx, q.uri().branchIn(q.branch()), q.uri().id(), q.uri().revision(),
                q.asOf().orElse(Instant.MAX)));
    }

    private static Optional<Vibe> find(LedgerTransaction tx, BranchName branch, VibeId id, Optional<Revision> revision,
                                       Instant asOf) {
        return revision.isPresent()
                ? tx.visibleRevision(branch, id, revision.get(), asOf)
                : tx.head(branch, id, asOf);
    }

    @Override
    public Optional<Page<Vibe>> history(Queries.History q) {
        Optional<Cursor> cursor = q.cursor().map(c -> Cursor.decode("h", c));
        Instant asOf = cursor.map(Cursor::asOf).orElseGet(clock::instant);
        int before = cursor.map(c -> parseInt(c.lastKey(), q.cursor().get())).orElse(Integer.MAX_VALUE);
        return ledger.read(tx -> {
            List<Vibe> items = tx.history(q.branch(), q.id(), asOf, before, q.limit() + 1);
            if (items.isEmpty() && cursor.isEmpty()) return Optional.empty();
            return Optional.of(page(items, q.limit(), v -> new Cursor("h", asOf, v.revision().toString())));
        });
    }

    @Override
    public Optional<Page<Vibe>> list(Queries.ListHeads q) {
        Optional<Cursor> cursor = q.cursor().map(c -> Cursor.decode("v", c));
        Instant asOf = cursor.map(Cursor::asOf).orElseGet(clock::instant);
        Optional<VibeId> after = cursor.map(c -> idOf(c.lastKey(), q.cursor().get()));
        return ledger.read(tx -> {
            if (tx.branch(q.branch()).isEmpty()) return Optional.empty();
            List<Vibe> items = tx.heads(q.branch(), asOf, q.prefix(), q.kind(), after, q.limit() + 1);
            return Optional.of(page(items, q.limit(), v -> new Cursor("v", asOf, v.id().value())));
        });
    }

    @Override
    public SchemaOutcome schema(Queries.ResolvedSchema q) {
        return ledger.read(tx -> {
            Optional<Vibe> vibe = find(tx, q.branch(), q.id(), q.revision(), Instant.MAX);
            if (vibe.isEmpty()) return new SchemaOutcome.NotFound();
            try {
                return tx.closure(vibe.get().ref())
                        .<SchemaOutcome>map(c -> new SchemaOutcome.Found(vibe.get().ref(), resolver.view(q.view(), c)))
                        .orElseGet(SchemaOutcome.NotFound::new);
            } catch (SchemaTooLargeException e) {
                return new SchemaOutcome.TooLarge(e.getMessage());
            }
        });
    }

    @Override
    public Optional<Page<Edge>> dependencies(Queries.Graph q) {
        return graph(q, "n", Edge::to, (tx, ref, after, limit) -> tx.dependencies(ref, q.transitive(), after, limit));
    }

    @Override
    public Optional<Page<Edge>> dependents(Queries.Graph q) {
        return graph(q, "d", Edge::from, (tx, ref, after, limit) -> tx.dependents(ref, q.transitive(), after, limit));
    }

    /** One direction of the graph from the revision asked for, found (on every page) as of the first page. */
    private Optional<Page<Edge>> graph(Queries.Graph q, String kind, Function<Edge, VibeRef> farEnd, EdgeReader edges) {
        GraphPosition at = GraphPosition.of(kind, q.cursor(), clock);
        return ledger.read(tx -> find(tx, q.branch(), q.id(), q.revision(), at.asOf())
                .map(v -> page(edges.read(tx, v.ref(), at.after(), q.limit() + 1), q.limit(),
                        e -> at.next(new GraphKey(e.depth(), farEnd.apply(e))))));
    }

    @FunctionalInterface
    private interface EdgeReader {
        List<Edge> read(LedgerTransaction tx, VibeRef ref, Optional<GraphKey> after, int limit);
    }

    @Override
    public Optional<Page<ImpactItem>> impact(Queries.Impact q) {
        GraphPosition at = GraphPosition.of("i", q.cursor(), clock);
        return ledger.read(tx -> tx.head(q.branch(), q.id(), at.asOf()).map(head -> page(
                tx.impact(q.branch(), q.id(), at.asOf(), at.after(), q.limit() + 1), q.limit(),
                i -> at.next(new GraphKey(i.depth(), i.ref())))));
    }

    @Override
    public Optional<ReadUseCases.Provenance> provenance(Queries.Provenance q) {
        return ledger.read(tx -> find(tx, q.branch(), q.id(), q.revision(), Instant.MAX).map(v -> {
            Refinement r = tx.refinement(v.refinementId()).orElseThrow(
                    () -> new IllegalStateException("vibe " + v.ref() + " has no refinement"));
            List<Vibe> inputs = r.targetRefs().stream().map(tx::vibe).flatMap(Optional::stream).toList();
            return new ReadUseCases.Provenance(v, r, tx.vibe(v.authorRef()), v.prototypeRef().flatMap(tx::vibe), inputs);
        }));
    }

    @Override
    public Optional<Refinement> refinement(long id) {
        return ledger.read(tx -> tx.refinement(id));
    }

    @Override
    public Page<Refinement> list(Queries.ListRefinements q) {
        Optional<Cursor> cursor = q.cursor().map(c -> Cursor.decode("r", c));
        long before = cursor.map(c -> parseLong(c.lastKey(), q.cursor().get())).orElse(Long.MAX_VALUE);
        Instant asOf = cursor.map(Cursor::asOf).orElseGet(clock::instant);
        return ledger.read(tx -> page(tx.refinements(q.branch(), q.author(), before, q.limit() + 1), q.limit(),
                r -> new Cursor("r", asOf, Long.toString(r.id()))));
    }

    private static <T> Page<T> page(List<T> itemsPlusOne, int limit, Function<T, Cursor> cursorOf) {
        if (itemsPlusOne.size() <= limit) return new Page<>(itemsPlusOne, Optional.empty());
        List<T> items = itemsPlusOne.subList(0, limit);
        return new Page<>(items, Optional.of(cursorOf.apply(items.getLast()).encode()));
    }

    private static int parseInt(String key, String cursor) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new MalformedTextException("cursor", cursor, -1, "is not a cursor this listing returned");
        }
    }

    private static long parseLong(String key, String cursor) {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw new MalformedTextException("cursor", cursor, -1, "is not a cursor this listing returned");
        }
    }

    /**
     * Where a page of a graph listing starts: the moment of the first page ({@code asOf}) and the key of the last
     * item before it ({@code after}); {@code kind} tells the listings' cursors apart.
     */
    private record GraphPosition(String kind, Instant asOf, Optional<GraphKey> after) {
        static GraphPosition of(String kind, Optional<String> cursor, Clock clock) {
            Optional<Cursor> decoded = cursor.map(c -> Cursor.decode(kind, c));
            return new GraphPosition(kind, decoded.map(Cursor::asOf).orElseGet(clock::instant),
                    decoded.map(c -> graphKey(c.lastKey(), cursor.get())));
        }

        /** The cursor of the page after the one ending at {@code last}. */
        Cursor next(GraphKey last) {
            return new Cursor(kind, asOf, last.depth() + " " + last.ref());
        }
    }

    private static GraphKey graphKey(String key, String cursor) {
        try {
            int space = key.indexOf(' ');
            if (space < 0) throw new IllegalArgumentException("no depth");
            return new GraphKey(Integer.parseInt(key.substring(0, space)), VibeRef.parse(key.substring(space + 1)));
        } catch (IllegalArgumentException e) {  // a MalformedTextException too
            throw new MalformedTextException("cursor", cursor, -1, "is not a cursor this listing returned");
        }
    }

    private static VibeId idOf(String key, String cursor) {
        try {
            return new VibeId(key);
        } catch (MalformedTextException e) {
            throw new MalformedTextException("cursor", cursor, -1, "is not a cursor this listing returned");
        }
    }

}
