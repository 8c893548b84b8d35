package dev.refinery.application.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.port.Edge;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.application.read.Page;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadUseCases;
import dev.refinery.application.read.ReadUseCases.SchemaOutcome;
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

        List<Edge> direct = read.dependencies(graph("people/ada", false)).orElseThrow();
        List<Edge> all = read.dependencies(graph("people/ada", true)).orElseThrow();
        List<Edge> usedBy = read.dependents(graph("schemas/name", false)).orElseThrow();
        List<Edge> usedByAll = read.dependents(graph("schemas/name", true)).orElseThrow();

        assertEquals(List.of(new Edge(ada.ref(), person.ref(), Edge.EdgeType.SCHEMA, true, 1)), direct);
        assertEquals(List.of(new Edge(ada.ref(), person.ref(), Edge.EdgeType.SCHEMA, true, 1),
                new Edge(person.ref(), name.ref(), Edge.EdgeType.SCHEMA, false, 2)), all);
        assertEquals(List.of(new Edge(person.ref(), name.ref(), Edge.EdgeType.SCHEMA, false, 1)), usedBy);
        assertEquals(List.of(person.ref(), ada.ref()), usedByAll.stream().map(Edge::from).toList());
        assertEquals(Optional.empty(), read.dependencies(graph("nope", false)));
    }

    private Queries.Graph graph(String id, boolean transitive) {
        return new Queries.Graph(MAIN, new VibeId(id), Optional.empty(), transitive);
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

        List<ImpactItem> impact = read.impact(new Queries.Impact(MAIN, new VibeId("schemas/name"))).orElseThrow();

        assertEquals(List.of(new ImpactItem(bob.ref(), 1, false), new ImpactItem(person.ref(), 1, true),
                new ImpactItem(ada.ref(), 2, true)), impact);
        assertEquals(Optional.empty(), read.impact(new Queries.Impact(MAIN, new VibeId("nope"))));
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
