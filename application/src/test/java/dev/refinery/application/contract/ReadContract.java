package dev.refinery.application.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.port.Edge;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.application.read.Page;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases;
import dev.refinery.application.read.ReadUseCases.SchemaOutcome;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.Revision;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read use cases over a ledger adapter. */
public abstract class ReadContract extends LedgerFixture {

    private Optional<Vibe> readVibe(String id, Optional<Integer> revision, Optional<Instant> asOf) {
        return read.read(new Queries.ReadVibe(MAIN, new VibeId(id), revision.map(Revision::of), asOf));
    }

    @Test
    void aVibeIsReadByRevisionOrAsOfATime() {
        Vibe first = write("x", "{}", "1");
        Instant between = clock.instant();
        Vibe second = write("x", "{}", "2");

        assertEquals(Optional.of(second), readVibe("x", Optional.empty(), Optional.empty()));
        assertEquals(Optional.of(first), readVibe("x", Optional.of(1), Optional.empty()));
        assertEquals(Optional.of(first), readVibe("x", Optional.empty(), Optional.of(between)));
        assertEquals(Optional.empty(), readVibe("x", Optional.empty(), Optional.of(first.createdAt().minusMillis(1))));
        assertEquals(Optional.empty(), readVibe("x", Optional.of(3), Optional.empty()));
        assertEquals(Optional.empty(), readVibe("y", Optional.empty(), Optional.empty()));
    }

    @Test
    void everyFormOfAugUriResolves() {
        Vibe first = write("schemas/user", "{}", "1");
        Vibe second = write("schemas/user", "{}", "2");
        fork("dev", "main");
        Vibe onDev = write(new BranchName("dev"), "schemas/user", "{}", "3");

        assertEquals(Optional.of(second), resolve("aug:/schemas/user", MAIN));
        assertEquals(Optional.of(first), resolve("aug:/schemas/user?1", MAIN));
        assertEquals(onDev, resolve("aug:~dev/schemas/user", MAIN).orElseThrow());
        assertEquals(first, resolve("aug:~dev/schemas/user?1", MAIN).orElseThrow());
        assertEquals(onDev, resolve("aug:dev@schemas/user?3", MAIN).orElseThrow());
        assertEquals(onDev, resolve("aug:/schemas/user", new BranchName("dev")).orElseThrow());
        assertEquals(Optional.empty(), resolve("aug:/schemas/user?3", MAIN));
    }

    private Optional<Vibe> resolve(String uri, BranchName context) {
        return read.resolve(new Queries.ResolveUri(AugUri.parse(uri), context, Optional.empty()));
    }

    @Test
    void historyPagesNewestFirstWithAnOpaqueCursor() {
        Vibe v1 = write("x", "{}", "1");
        Vibe v2 = write("x", "{}", "2");
        Vibe v3 = write("x", "{}", "3");

        Page<Vibe> first = read.history(new Queries.History(MAIN, new VibeId("x"), 2, Optional.empty())).orElseThrow();
        write("x", "{}", "4");
        Page<Vibe> second = read.history(new Queries.History(MAIN, new VibeId("x"), 2, first.nextCursor())).orElseThrow();

        assertEquals(List.of(v3, v2), first.items());
        assertEquals(List.of(v1), second.items());
        assertEquals(Optional.empty(), second.nextCursor());
        assertEquals(Optional.empty(), read.history(new Queries.History(MAIN, new VibeId("nope"), 2, Optional.empty())));
        assertThrows(MalformedTextException.class,
                () -> read.history(new Queries.History(MAIN, new VibeId("x"), 2, Optional.of("garbage!"))));
    }

    @Test
    void headsAreListedByIdAndStableWhileWritesGoOn() {
        write("b/1", "{}", "1");
        write("b/2", "{}", "1");
        write("b/3", "{}", "1");
        write("c/1", "{}", "1");

        Page<Vibe> first = read.list(new Queries.ListHeads(MAIN, "b/", Optional.empty(), 2, Optional.empty())).orElseThrow();
        write("b/2", "{}", "2");
        write("b/4", "{}", "1");
        Page<Vibe> rest = read.list(new Queries.ListHeads(MAIN, "b/", Optional.empty(), 2, first.nextCursor())).orElseThrow();

        assertEquals(List.of("b/1", "b/2"), first.items().stream().map(v -> v.id().value()).toList());
        assertEquals(List.of("b/3"), rest.items().stream().map(v -> v.id().value()).toList(),
                "later pages read as of the first page");
        assertEquals(Optional.empty(), rest.nextCursor());
        assertEquals(Optional.empty(), read.list(new Queries.ListHeads(new BranchName("nope"), "", Optional.empty(), 10,
                Optional.empty())));
        List<String> roles = read.list(new Queries.ListHeads(MAIN, "", Optional.of(Kind.ROLE), 10, Optional.empty()))
                .orElseThrow().items().stream().map(v -> v.id().value()).toList();
        assertEquals(List.of("roles/root"), roles);
    }

    @Test
    void headsOfABranchComeFromItsLineageAPageAtATime() {
        write("a", "{}", "1");
        write("c", "{}", "1");
        Instant beforeFork = clock.instant();
        fork("dev", "main");
        BranchName dev = new BranchName("dev");
        write("b", "{}", "1");          // after the fork: not on dev
        write("a", "{}", "2");          // neither
        write(dev, "c", "{}", "2");
        write(dev, "d", "{}", "1");
        write(dev, "e/1", "{}", "1");
        write("e/0", "{}", "1");        // main only, inside dev's prefix range
        write("e0", "{}", "1");         // right after the prefix e/ in code point order

        assertEquals(List.of("main@a?2", "main@b?1", "main@c?1", "main@e/0?1", "main@e0?1", "main@roles/root?1"),
                heads(MAIN, "", 10));
        assertEquals(List.of("main@a?1", "dev@c?2", "dev@d?1", "dev@e/1?1", "main@roles/root?1"), heads(dev, "", 10));
        assertEquals(List.of("main@a?1", "dev@c?2", "dev@d?1", "dev@e/1?1", "main@roles/root?1"), heads(dev, "", 1),
                "one a page, each page following the cursor");
        assertEquals(List.of("dev@e/1?1"), heads(dev, "e/", 10));
        assertEquals(List.of("main@e/0?1"), heads(MAIN, "e/", 1));
        assertEquals(List.of(), heads(dev, "zz", 10));
        assertEquals(List.of("main@a?1", "dev@c?2", "dev@d?1", "dev@e/1?1"), read.list(new Queries.ListHeads(dev, "",
                Optional.of(Kind.RECORD), 10, Optional.empty())).orElseThrow().items().stream()
                .map(v -> v.ref().toString()).toList(), "of a kind");
        assertEquals(List.of("main@e/0?1"), read.list(new Queries.ListHeads(MAIN, "e/", Optional.of(Kind.RECORD), 10,
                Optional.empty())).orElseThrow().items().stream().map(v -> v.ref().toString()).toList(), "of a kind, by prefix");
        assertEquals(List.of("main@a?1", "main@c?1"), ledger.read(tx -> tx.heads(MAIN, beforeFork, "", Optional.empty(),
                Optional.empty(), 2)).stream().map(v -> v.ref().toString()).toList(), "as of an instant, up to a limit");
        assertEquals(List.of("dev@d?1", "dev@e/1?1"), ledger.read(tx -> tx.heads(dev, Instant.MAX, "", Optional.empty(),
                Optional.of(new VibeId("c")), 2)).stream().map(v -> v.ref().toString()).toList(), "after an id");
    }

    @Test
    void headsOfAKindAreTheIdsWhoseHeadOnTheBranchIsOfIt() {
        BranchName dev = new BranchName("dev");
        writeKind(MAIN, "r/1", Kind.ROLE);
        writeKind(MAIN, "r/2", Kind.ROLE);
        fork("dev", "main");
        writeKind(dev, "r/3", Kind.ROLE);       // on dev only
        writeKind(MAIN, "r/2", Kind.RECORD);    // main's r/2 is a record now, dev's still a role
        writeKind(MAIN, "r/0", Kind.RECORD);
        writeKind(dev, "r/4", Kind.RECORD);
        writeKind(MAIN, "s/1", Kind.ROLE);      // past the prefix r/

        for (int limit : List.of(1, 2, 10)) {
            assertEquals(List.of("main@r/1?1", "main@roles/root?1", "main@s/1?1"), heads(MAIN, "", Kind.ROLE, limit));
            assertEquals(List.of("main@r/1?1", "main@r/2?1", "dev@r/3?1", "main@roles/root?1"),
                    heads(dev, "", Kind.ROLE, limit));
            assertEquals(List.of("main@r/1?1", "main@r/2?1", "dev@r/3?1"), heads(dev, "r/", Kind.ROLE, limit));
            assertEquals(List.of("main@r/0?1", "main@r/2?2"), heads(MAIN, "r/", Kind.RECORD, limit));
            assertEquals(List.of("dev@r/4?1"), heads(dev, "", Kind.RECORD, limit));
            assertEquals(List.of(), heads(dev, "s/", Kind.RECORD, limit));
        }
    }

    private void writeKind(BranchName branch, String id, Kind kind) {
        written(refine.refine(command(branch, VibeDraft.of(new VibeId(id), kind, json("{}"), json("{}"), json("1")))));
    }

    /** Every page of a listing of heads, following the cursor. */
    private List<String> heads(BranchName branch, String prefix, int limit) {
        return heads(branch, prefix, null, limit);
    }

    private List<String> heads(BranchName branch, String prefix, Kind kind, int limit) {
        List<String> refs = new java.util.ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<Vibe> page = read.list(new Queries.ListHeads(branch, prefix, Optional.ofNullable(kind), limit, cursor))
                    .orElseThrow();
            assertTrue(page.items().size() <= limit);
            page.items().forEach(v -> refs.add(v.ref().toString()));
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return refs;
    }

    @Test
    void resolvedSchemaComesInThreeViews() {
        write("schemas/name", "{'type':'string'}", "'x'");
        write("people/ada", "{'type':'object','properties':{'name':{'$ref':'aug:/schemas/name'}}}", "{'name':'Ada'}");

        JsonNode stamped = schema("people/ada", SchemaView.STAMPED);
        JsonNode bundled = schema("people/ada", SchemaView.BUNDLED);
        JsonNode inlined = schema("people/ada", SchemaView.INLINED);

        assertEquals("main@schemas/name?1", stamped.at("/properties/name/$refResolved").asText());
        assertEquals("#/$defs/main@schemas~1name?1", bundled.at("/properties/name/$ref").asText());
        assertEquals("string", bundled.at("/$defs/main@schemas~1name?1/type").asText());
        assertEquals("string", inlined.at("/properties/name/type").asText());
        assertInstanceOf(SchemaOutcome.NotFound.class, read.schema(new Queries.ResolvedSchema(MAIN, new VibeId("nope"),
                Optional.empty(), SchemaView.STAMPED)));
    }

    private JsonNode schema(String id, SchemaView view) {
        SchemaOutcome outcome = read.schema(new Queries.ResolvedSchema(MAIN, new VibeId(id), Optional.empty(), view));
        return assertInstanceOf(SchemaOutcome.Found.class, outcome).schema();
    }

    @Test
    void inlinedViewOfAGrowingDiamondIsRefusedPastTheCap() {
        // The fixture caps inlined views at 2,000 nodes: 12 levels of diamonds inline to 2^12 leaves.
        write("d/0", "{'type':'string'}", "'x'");
        for (int i = 1; i <= 12; i++) {
            String ref = "aug:/d/" + (i - 1);
            write("d/" + i, "{'anyOf':[{'$ref':'" + ref + "'},{'$ref':'" + ref + "'}]}", "'x'");
        }

        SchemaOutcome inlined = read.schema(new Queries.ResolvedSchema(MAIN, new VibeId("d/12"), Optional.empty(),
                SchemaView.INLINED));
        SchemaOutcome bundled = read.schema(new Queries.ResolvedSchema(MAIN, new VibeId("d/12"), Optional.empty(),
                SchemaView.BUNDLED));

        assertInstanceOf(SchemaOutcome.TooLarge.class, inlined);
        assertEquals(12, assertInstanceOf(SchemaOutcome.Found.class, bundled).schema().get("$defs").size());
    }

    @Test
    void dependenciesAndDependentsDirectAndTransitive() {
        Vibe name = write("schemas/name", "{'type':'string'}", "'x'");
        Vibe person = write("schemas/person", "{'properties':{'name':{'$ref':'aug:/schemas/name'}}}", "{}");
        Vibe ada = write("people/ada", "{'$ref':'aug:/schemas/person?1'}", "{'name':'Ada'}");

        List<Edge> direct = read.dependencies(graph("people/ada", false)).orElseThrow().items();
        List<Edge> all = read.dependencies(graph("people/ada", true)).orElseThrow().items();
        List<Edge> usedBy = read.dependents(graph("schemas/name", false)).orElseThrow().items();
        List<Edge> usedByAll = read.dependents(graph("schemas/name", true)).orElseThrow().items();

        assertEquals(List.of(new Edge(ada.ref(), person.ref(), Edge.EdgeType.SCHEMA, true, 1)), direct);
        assertEquals(List.of(new Edge(ada.ref(), person.ref(), Edge.EdgeType.SCHEMA, true, 1),
                new Edge(person.ref(), name.ref(), Edge.EdgeType.SCHEMA, false, 2)), all);
        assertEquals(List.of(new Edge(person.ref(), name.ref(), Edge.EdgeType.SCHEMA, false, 1)), usedBy);
        assertEquals(List.of(person.ref(), ada.ref()), usedByAll.stream().map(Edge::from).toList());
        assertEquals(Optional.empty(), read.dependencies(graph("nope", false)));
    }

    private Queries.Graph graph(String id, boolean transitive) {
        return new Queries.Graph(MAIN, new VibeId(id), Optional.empty(), transitive, Queries.DEFAULT_LIMIT,
                Optional.empty());
    }

    /** Every page of a listing, {@code limit} at a time, following nextCursor; at most 100 pages. */
    private static <T> List<T> allPages(java.util.function.Function<Optional<String>, Page<T>> pageAfter) {
        List<T> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        for (int pages = 0; pages < 100; pages++) {
            Page<T> page = pageAfter.apply(cursor);
            all.addAll(page.items());
            cursor = page.nextCursor();
            if (cursor.isEmpty()) return all;
        }
        throw new AssertionError("more than 100 pages");
    }

    /**
     * A schema with dependents whose refs order differently as text than by their parts (an id that is a prefix of
     * another, revisions 2 and 10) and a second level: {@code schemas/base} ← {@code people/ada-2}, {@code people/ada}
     * (revisions 1 to 10, the last ones still referencing it), {@code people/ada/x} ← {@code apps/one} (depth 2).
     */
    private void aGraphToPage() {
        write("schemas/base", "{'type':'object'}", "{}");
        write("people/ada", "{'$ref':'aug:/schemas/base'}", "{'n':1}");
        write("people/ada/x", "{'$ref':'aug:/schemas/base'}", "{}");
        write("people/ada-2", "{'$refOriginal':'aug:/schemas/base?1'}", "{}");
        for (int n = 2; n <= 10; n++) write("people/ada", "{'$ref':'aug:/schemas/base'}", "{'n':" + n + "}");
        write("apps/one", "{'properties':{'a':{'$ref':'aug:/people/ada/x'},'b':{'$ref':'aug:/people/ada-2'}}}", "{}");
    }

    @Test
    void dependentsArePagedByDepthThenRefTextWithAnOpaqueCursor() {
        aGraphToPage();
        List<String> expected = List.of("1 main@people/ada-2?1", "1 main@people/ada/x?1", "1 main@people/ada?1",
                "1 main@people/ada?10", "1 main@people/ada?2", "1 main@people/ada?3", "1 main@people/ada?4",
                "1 main@people/ada?5", "1 main@people/ada?6", "1 main@people/ada?7", "1 main@people/ada?8",
                "1 main@people/ada?9", "2 main@apps/one?1");

        List<Edge> whole = read.dependents(graph("schemas/base", true)).orElseThrow().items();

        assertEquals(expected, whole.stream().map(e -> e.depth() + " " + e.from()).toList());
        assertEquals(expected.subList(0, 12), read.dependents(graph("schemas/base", false)).orElseThrow().items()
                .stream().map(e -> e.depth() + " " + e.from()).toList());
        assertEquals("main@people/ada-2?1", whole.getLast().to().toString(),
                "apps/one is reached first through the smaller of the two refs it uses");
        for (int limit = 1; limit <= whole.size() + 1; limit++) {
            int l = limit;
            assertEquals(whole, allPages(c -> read.dependents(new Queries.Graph(MAIN, new VibeId("schemas/base"),
                    Optional.empty(), true, l, c)).orElseThrow()), "pages of " + limit);
            assertEquals(whole.subList(0, 12), allPages(c -> read.dependents(new Queries.Graph(MAIN,
                    new VibeId("schemas/base"), Optional.empty(), false, l, c)).orElseThrow()), "pages of " + limit);
        }
    }

    @Test
    void dependenciesArePagedByDepthThenRefText() {
        aGraphToPage();
        List<Edge> whole = read.dependencies(graph("apps/one", true)).orElseThrow().items();

        assertEquals(List.of("1 main@people/ada-2?1", "1 main@people/ada/x?1", "2 main@schemas/base?1"),
                whole.stream().map(e -> e.depth() + " " + e.to()).toList());
        assertEquals("main@people/ada-2?1", whole.getLast().from().toString());
        for (int limit = 1; limit <= whole.size(); limit++) {
            int l = limit;
            assertEquals(whole, allPages(c -> read.dependencies(new Queries.Graph(MAIN, new VibeId("apps/one"),
                    Optional.empty(), true, l, c)).orElseThrow()), "pages of " + limit);
        }
    }

    @Test
    void laterPagesOfTheGraphReadAsOfTheFirst() {
        aGraphToPage();
        Page<Edge> first = read.dependents(new Queries.Graph(MAIN, new VibeId("schemas/base"), Optional.empty(), false,
                1, Optional.empty())).orElseThrow();
        write("schemas/base", "{'type':'object','required':['n']}", "{'n':1}");
        Page<Edge> second = read.dependents(new Queries.Graph(MAIN, new VibeId("schemas/base"), Optional.empty(), false,
                1, first.nextCursor())).orElseThrow();

        assertEquals("main@people/ada-2?1", first.items().getFirst().from().toString());
        assertEquals("main@people/ada/x?1", second.items().getFirst().from().toString(),
                "still the dependents of schemas/base?1, the head when the first page was read, after its key");
        assertEquals("main@schemas/base?1", second.items().getFirst().to().toString());
    }

    @Test
    void aGraphCursorIsCheckedAndBelongsToItsListing() {
        aGraphToPage();
        Page<Edge> first = read.dependents(new Queries.Graph(MAIN, new VibeId("schemas/base"), Optional.empty(), true,
                1, Optional.empty())).orElseThrow();

        assertThrows(MalformedTextException.class, () -> read.dependents(new Queries.Graph(MAIN,
                new VibeId("schemas/base"), Optional.empty(), true, 1, Optional.of("garbage!"))));
        assertThrows(MalformedTextException.class, () -> read.dependencies(new Queries.Graph(MAIN,
                new VibeId("schemas/base"), Optional.empty(), true, 1, first.nextCursor())));
        assertThrows(MalformedTextException.class, () -> read.impact(new Queries.Impact(MAIN,
                new VibeId("schemas/base"), 1, first.nextCursor())));
        assertThrows(IllegalArgumentException.class, () -> new Queries.Impact(MAIN, new VibeId("x"),
                Queries.MAX_LIMIT + 1, Optional.empty()));
    }

    private List<ImpactItem> impact(String id) {
        return read.impact(new Queries.Impact(MAIN, new VibeId(id), Queries.DEFAULT_LIMIT, Optional.empty()))
                .orElseThrow().items();
    }

    @Test
    void impactListsCurrentHeadsSplitIntoFloatingAndPinned() {
        write("schemas/name", "{'type':'string'}", "'x'");
        Vibe person = write("schemas/person", "{'properties':{'name':{'$ref':'aug:/schemas/name'}}}", "{}");
        Vibe ada = write("people/ada", "{'$ref':'aug:/schemas/person'}", "{'name':'Ada'}");
        Vibe bob = write("people/bob", "{'$refOriginal':'aug:/schemas/name?1'}", "'Bob'");
        write("people/old", "{'$ref':'aug:/schemas/name'}", "'x'");
        write("people/old", "{}", "'no longer depends'");
        write("schemas/name", "{'type':'string','minLength':1}", "'x'");

        List<ImpactItem> impact = impact("schemas/name");

        assertEquals(List.of(new ImpactItem(bob.ref(), 1, false), new ImpactItem(person.ref(), 1, true),
                new ImpactItem(ada.ref(), 2, true)), impact);
        assertEquals(Optional.empty(), read.impact(new Queries.Impact(MAIN, new VibeId("nope"), 10, Optional.empty())));
    }

    @Test
    void aDirectDependentFloatsWhenALongerPathFloats() {
        write("schemas/name", "{'type':'string'}", "'x'");
        write("schemas/person", "{'properties':{'name':{'$ref':'aug:/schemas/name'}}}", "{}");
        write("schemas/pinned-person", "{'properties':{'name':{'$ref':'aug:/schemas/name?1'}}}", "{}");
        Vibe both = write("people/both", "{'properties':{'a':{'$ref':'aug:/schemas/name?1'},"
                + "'b':{'$ref':'aug:/schemas/person'}}}", "{}");
        Vibe pinned = write("people/pinned", "{'properties':{'a':{'$ref':'aug:/schemas/name?1'},"
                + "'b':{'$ref':'aug:/schemas/pinned-person'}}}", "{}");

        List<ImpactItem> impact = impact("schemas/name");

        assertEquals(List.of(new ImpactItem(both.ref(), 1, true), new ImpactItem(pinned.ref(), 1, false)),
                impact.stream().filter(i -> i.ref().id().value().startsWith("people/")).toList());
    }

    @Test
    void deeperLevelsListEachVibeOnceAtItsSmallestDepth() {
        // g/a -> base; g/b -> base?1 (pinned) and g/a; g/c -> g/b; g/e -> g/b?1 (pinned); g/d has g/a as prototype
        write("g/base", "{'type':'object'}", "{}");
        write("g/a", "{'$ref':'aug:/g/base'}", "{}");
        write("g/b", "{'allOf':[{'$refOriginal':'aug:/g/base?1'},{'$ref':'aug:/g/a'}]}", "{}");
        write("g/c", "{'$ref':'aug:/g/b'}", "{}");
        write("g/e", "{'$ref':'aug:/g/b?1'}", "{}");
        var withPrototype = new dev.refinery.application.refine.VibeDraft(new VibeId("g/d"), Kind.RECORD,
                Optional.empty(), Optional.of(VibeRef.of("main", "g/a", 1)), json("{}"), json("{}"), json("{}"));
        written(refine.refine(new dev.refinery.application.refine.RefineCommand(MAIN, ROOT, "d", Optional.empty(),
                List.of(), List.of(), List.of(), false, List.of(withPrototype))));

        List<Edge> dependents = read.dependents(graph("g/base", true)).orElseThrow().items();
        List<ImpactItem> impact = impact("g/base");

        assertEquals(List.of("1 main@g/a?1 schema main@g/base?1", "1 main@g/b?1 schema main@g/base?1",
                        "2 main@g/c?1 schema main@g/b?1", "2 main@g/d?1 prototype main@g/a?1",
                        "2 main@g/e?1 schema main@g/b?1"),
                dependents.stream().map(e -> e.depth() + " " + e.from() + " " + e.type().wireName() + " " + e.to())
                        .toList());
        assertEquals(List.of("1 main@g/a?1 true", "1 main@g/b?1 true", "2 main@g/c?1 true", "2 main@g/e?1 false"),
                impact.stream().map(i -> i.depth() + " " + i.ref() + " " + i.floating()).toList(),
                "g/b floats through g/a, g/c through g/b and g/a; g/d's prototype is no schema reference");
        for (int limit = 1; limit <= dependents.size(); limit++) {
            int l = limit;
            assertEquals(dependents, allPages(c -> read.dependents(new Queries.Graph(MAIN, new VibeId("g/base"),
                    Optional.empty(), true, l, c)).orElseThrow()), "pages of " + limit);
            assertEquals(impact, allPages(c -> read.impact(new Queries.Impact(MAIN, new VibeId("g/base"), l, c))
                    .orElseThrow()), "pages of " + limit);
        }
    }

    @Test
    void impactIsPagedByDepthThenRefAsOfTheFirstPage() {
        aGraphToPage();
        fork("dev", "main");
        write(new BranchName("dev"), "people/dev-only", "{'$ref':'aug:/schemas/base'}", "{}");
        write("people/ada-3", "{'$ref':'aug:/people/ada/x'}", "{}");
        write("people/ada-4", "{'$ref':'aug:/people/ada-3'}", "{}");
        List<String> expected = List.of("1 main@people/ada-2?1 false", "1 main@people/ada/x?1 true",
                "1 main@people/ada?10 true", "2 main@apps/one?1 true", "2 main@people/ada-3?1 true",
                "3 main@people/ada-4?1 true");

        List<ImpactItem> whole = impact("schemas/base");

        assertEquals(expected, whole.stream().map(i -> i.depth() + " " + i.ref() + " " + i.floating()).toList());
        for (int limit = 1; limit <= whole.size() + 1; limit++) {
            int l = limit;
            assertEquals(whole, allPages(c -> read.impact(new Queries.Impact(MAIN, new VibeId("schemas/base"), l, c))
                    .orElseThrow()), "pages of " + limit);
        }
        Page<ImpactItem> first = read.impact(new Queries.Impact(MAIN, new VibeId("schemas/base"), 2, Optional.empty()))
                .orElseThrow();
        write("people/ada", "{}", "'no longer depends'");
        write("people/zzz", "{'$ref':'aug:/schemas/base'}", "{}");
        Page<ImpactItem> rest = read.impact(new Queries.Impact(MAIN, new VibeId("schemas/base"), 100,
                first.nextCursor())).orElseThrow();
        assertEquals(whole.subList(2, whole.size()), rest.items(), "heads as of the first page");
        assertEquals(List.of("main@people/ada-2?1", "main@people/ada/x?1"),
                impact("schemas/base").stream().limit(2).map(i -> i.ref().toString()).toList());
        assertTrue(impact("schemas/base").stream().anyMatch(i -> i.ref().toString().equals("main@people/zzz?1")));
    }

    @Test
    void provenanceNamesRefinementAuthorPrototypeAndInputs() {
        Vibe input = write("inputs/a", "{}", "1");
        Vibe template = write("templates/t", "{}", "1");
        var draft = new dev.refinery.application.refine.VibeDraft(new VibeId("out"), Kind.RECORD, Optional.empty(),
                Optional.of(template.ref()), json("{}"), json("{}"), json("2"));
        Vibe out = written(refine.refine(new dev.refinery.application.refine.RefineCommand(MAIN, ROOT, "derive",
                Optional.empty(), List.of(input.ref()), List.of(), List.of(), false, List.of(draft))))
                .vibes().getFirst().vibe();

        ReadUseCases.Provenance p = read.provenance(new Queries.Provenance(MAIN, new VibeId("out"), Optional.empty()))
                .orElseThrow();

        assertEquals(out, p.vibe());
        assertEquals(out.refinementId(), p.refinement().id());
        assertEquals("derive", p.refinement().message());
        assertEquals(ROOT, p.author().orElseThrow().ref());
        assertEquals(Optional.of(template), p.prototype());
        assertEquals(List.of(input), p.inputs());
    }

    @Test
    void refinementsAreListedNewestFirstByBranchAndAuthor() {
        fork("dev", "main");
        write("a", "{}", "1");
        write(new BranchName("dev"), "b", "{}", "1");
        write("c", "{}", "1");

        List<Refinement> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<Refinement> page = read.list(new Queries.ListRefinements(Optional.of(MAIN), Optional.of(ROOT), 1, cursor));
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor.isPresent());

        assertEquals(List.of("c", "a", "roles/root"), all.stream()
                .map(r -> r.outputRefs().getFirst().id().value()).toList());
        assertTrue(all.getFirst().id() > all.get(1).id());
        assertFalse(read.refinement(999_999).isPresent());
    }

    @Test
    void theGenesisHoldsTheRootRoleOnMain() {
        Vibe root = read.read(new Queries.ReadVibe(MAIN, ROOT.id(), Optional.empty(), Optional.empty())).orElseThrow();

        assertEquals(ROOT, root.ref());
        assertEquals(Kind.ROLE, root.kind());
        assertEquals(List.of(MAIN), branches.list().stream().map(b -> b.name()).toList());
        assertEquals(VibeRef.of("main", "roles/root", 1), root.authorRef());
    }
}
