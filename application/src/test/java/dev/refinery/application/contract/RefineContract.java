package dev.refinery.application.contract;

import dev.refinery.application.read.Queries;
import dev.refinery.application.refine.ImpactReport;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.RefinedVibe;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RefineUseCase over a ledger adapter: what is written, what is refused, and why. */
public abstract class RefineContract extends LedgerFixture {

    private static final String PERSON = "{'type':'object','required':['name'],'properties':{'name':{'type':'string'}}}";

    private Optional<Vibe> head(String id) {
        return read.read(new Queries.ReadVibe(MAIN, new VibeId(id), Optional.empty(), Optional.empty()));
    }

    @Test
    void firstRefineWritesRevisionOneWithItsRefinement() {
        RefineOutcome.Written w = written(refine.refine(command(MAIN, draft("people/ada", PERSON, "{'name':'Ada'}"))));

        Vibe ada = w.vibes().getFirst().vibe();
        Refinement r = w.refinement().orElseThrow();
        assertEquals(VibeRef.of("main", "people/ada", 1), ada.ref());
        assertEquals(List.of(MAIN), ada.branches());
        assertEquals(ROOT, ada.authorRef());
        assertEquals(r.id(), ada.refinementId());
        assertTrue(ada.digest().value().startsWith("sha256:"));
        assertEquals(RefinementKind.REFINE, r.kind());
        assertEquals(List.of(ada.ref()), r.outputRefs());
        assertEquals(Optional.of(ada), head("people/ada"));
        assertEquals(Optional.of(r), read.refinement(r.id()));
    }

    @Test
    void refineAppendsTheNextRevision() {
        write("people/ada", PERSON, "{'name':'Ada'}");
        Vibe second = write("people/ada", PERSON, "{'name':'Ada Lovelace'}");

        assertEquals(2, second.revision().value());
        assertEquals(second, head("people/ada").orElseThrow());
    }

    @Test
    void refineOfUnchangedContentWritesNoRevision() {
        Vibe first = write("people/ada", PERSON, "{'name':'Ada'}");
        long refinementsBefore = refinementCount();

        RefineOutcome.Written again = written(refine.refine(command(MAIN, draft("people/ada", PERSON, "{'name':'Ada'}"))));

        assertEquals(Optional.empty(), again.refinement());
        assertEquals(new RefinedVibe(first, true), again.vibes().getFirst());
        assertEquals(refinementsBefore, refinementCount());
        assertEquals(first, head("people/ada").orElseThrow());
    }

    private long refinementCount() {
        return read.list(new Queries.ListRefinements(Optional.empty(), Optional.empty(), 1000, Optional.empty()))
                .items().size();
    }

    @Test
    void staleBaseIsRefusedNamingTheCurrentHead() {
        Vibe first = write("people/ada", PERSON, "{'name':'Ada'}");
        Vibe second = write("people/ada", PERSON, "{'name':'Ada L'}");
        VibeDraft onStale = new VibeDraft(new VibeId("people/ada"), Kind.RECORD, Optional.of(first.ref()),
                Optional.empty(), json("{}"), json(PERSON), json("{'name':'Ada B'}"));

        RefineOutcome outcome = refine.refine(command(MAIN, onStale));

        assertEquals(new RefineOutcome.StaleBase(new VibeId("people/ada"), first.ref(), Optional.of(second.ref())), outcome);
        assertEquals(second, head("people/ada").orElseThrow());
    }

    @Test
    void baseThatIsTheHeadWrites() {
        Vibe first = write("people/ada", PERSON, "{'name':'Ada'}");
        VibeDraft onHead = new VibeDraft(new VibeId("people/ada"), Kind.RECORD, Optional.of(first.ref()),
                Optional.empty(), json("{}"), json(PERSON), json("{'name':'Ada B'}"));

        RefineOutcome.Written w = written(refine.refine(command(MAIN, onHead)));

        assertEquals(2, w.vibes().getFirst().vibe().revision().value());
        assertEquals(List.of(first.ref()), w.refinement().orElseThrow().targetRefs());
    }

    @Test
    void repeatedIdempotencyKeyReturnsTheFirstResultAndWritesNothing() {
        RefineCommand first = new RefineCommand(MAIN, ROOT, "once", Optional.of("key-1"), List.of(), List.of(),
                List.of(), false, List.of(draft("people/ada", PERSON, "{'name':'Ada'}")));
        RefineCommand retried = new RefineCommand(MAIN, ROOT, "once", Optional.of("key-1"), List.of(), List.of(),
                List.of(), false, List.of(draft("people/ada", PERSON, "{'name':'Ada'}")));

        RefineOutcome.Written w = written(refine.refine(first));
        RefineOutcome again = refine.refine(retried);

        RefineOutcome.Replayed replayed = assertInstanceOf(RefineOutcome.Replayed.class, again);
        assertEquals(w.refinement().orElseThrow(), replayed.refinement());
        assertEquals(w.vibes().getFirst().vibe(), replayed.vibes().getFirst().vibe());
        assertEquals(1, head("people/ada").orElseThrow().revision().value());
    }

    @Test
    void allOutputsAreWrittenOrNone() {
        RefineOutcome outcome = refine.refine(command(MAIN,
                draft("people/ada", PERSON, "{'name':'Ada'}"),
                draft("people/bob", PERSON, "{'name':42}")));

        RefineOutcome.Invalid invalid = assertInstanceOf(RefineOutcome.Invalid.class, outcome);
        assertEquals("/vibes/1/solution/name", invalid.violations().getFirst().pointer());
        assertEquals(Optional.empty(), head("people/ada"));
    }

    @Test
    void solutionIsValidatedAgainstTheBundledSchemaWithPointers() {
        write("schemas/address", "{'type':'object','required':['city'],'properties':{'city':{'type':'string'}}}", "{'city':'x'}");
        String user = "{'type':'object','properties':{'address':{'$ref':'aug:/schemas/address'}}}";

        RefineOutcome bad = refine.refine(command(MAIN, draft("people/ada", user, "{'address':{'street':'Main'}}")));
        RefineOutcome good = refine.refine(command(MAIN, draft("people/ada", user, "{'address':{'city':'London'}}")));

        RefineOutcome.Invalid invalid = assertInstanceOf(RefineOutcome.Invalid.class, bad);
        assertTrue(invalid.violations().stream().anyMatch(v -> v.pointer().equals("/vibes/0/solution/address")
                && v.message().contains("city")), () -> invalid.violations().toString());
        Vibe ada = written(good).vibes().getFirst().vibe();
        assertEquals("main@schemas/address?1", ada.schema().at("/properties/address/$refResolved").asText());
        assertEquals(List.of(VibeRef.of("main", "schemas/address", 1)), ada.schemaRefs());
    }

    @Test
    void anAlreadyStampedReferenceIsCheckedAndValidatedAgainst() {
        write("schemas/address", "{'type':'object','required':['city'],'properties':{'city':{'type':'string'}}}", "{'city':'x'}");
        String stamped = "{'properties':{'address':{'$ref':'aug:/schemas/address','$refResolved':'main@schemas/address?1'}}}";
        String missing = "{'properties':{'address':{'$ref':'aug:/schemas/address','$refResolved':'main@schemas/address?7'}}}";

        RefineOutcome bad = refine.refine(command(MAIN, draft("people/ada", stamped, "{'address':{}}")));
        RefineOutcome gone = refine.refine(command(MAIN, draft("people/ada", missing, "{'address':{'city':'x'}}")));
        RefineOutcome good = refine.refine(command(MAIN, draft("people/ada", stamped, "{'address':{'city':'x'}}")));

        RefineOutcome.Invalid invalid = assertInstanceOf(RefineOutcome.Invalid.class, bad);
        assertEquals("/vibes/0/solution/address", invalid.violations().getFirst().pointer());
        RefineOutcome.Invalid unknown = assertInstanceOf(RefineOutcome.Invalid.class, gone);
        assertEquals("/vibes/0/schema/properties/address/$refResolved", unknown.violations().getFirst().pointer());
        assertTrue(unknown.violations().getFirst().message().contains("does not exist"));
        assertEquals(List.of(VibeRef.of("main", "schemas/address", 1)), written(good).vibes().getFirst().vibe().schemaRefs());
    }

    @Test
    void unresolvedReferenceIsInvalidNamingItsPointer() {
        RefineOutcome outcome = refine.refine(command(MAIN,
                draft("people/ada", "{'properties':{'a/b':{'$ref':'aug:/schemas/missing'}}}", "{}")));

        RefineOutcome.Invalid invalid = assertInstanceOf(RefineOutcome.Invalid.class, outcome);
        assertEquals("/vibes/0/schema/properties/a~1b/$ref", invalid.violations().getFirst().pointer());
        assertTrue(invalid.violations().getFirst().message().contains("aug:/schemas/missing"));
    }

    @Test
    void schemaThatIsNotJsonSchemaIsInvalid() {
        RefineOutcome outcome = refine.refine(command(MAIN, draft("people/ada", "{'type':42}", "{}")));

        RefineOutcome.Invalid invalid = assertInstanceOf(RefineOutcome.Invalid.class, outcome);
        assertTrue(invalid.violations().getFirst().pointer().startsWith("/vibes/0/schema"),
                () -> invalid.violations().toString());
    }

    @Test
    void schemaCannotMakeTheServerFetchARemoteDocument() {
        RefineOutcome outcome = refine.refine(command(MAIN,
                draft("people/ada", "{'$ref':'http://127.0.0.1:9/evil.json'}", "{}")));

        assertInstanceOf(RefineOutcome.Invalid.class, outcome);
        assertEquals(Optional.empty(), head("people/ada"));
    }

    @Test
    void referencesAmongOutputsResolveToEarlierOutputs() {
        write("schemas/name", "{'type':'string'}", "'x'");

        RefineOutcome.Written w = written(refine.refine(command(MAIN,
                draft("schemas/name", "{'type':'string','minLength':2}", "'xy'"),
                draft("people/ada", "{'type':'object','properties':{'name':{'$ref':'aug:/schemas/name'}}}",
                        "{'name':'Ada'}"))));

        Vibe ada = w.vibes().get(1).vibe();
        assertEquals(List.of(VibeRef.of("main", "schemas/name", 2)), ada.schemaRefs());
    }

    @Test
    void floatingReferencesFollowTheLatestAndPinnedOnesStay() {
        write("schemas/name", "{'type':'string'}", "'x'");
        write("schemas/name", "{'type':'string','maxLength':10}", "'x'");

        Vibe floating = write("a", "{'$ref':'aug:/schemas/name'}", "'Ada'");
        Vibe pinned = write("b", "{'$refOriginal':'aug:/schemas/name?1'}", "'Ada'");
        Vibe onBranch = write("c", "{'$ref':'aug:main@schemas/name?1'}", "'Ada'");

        assertEquals(List.of(VibeRef.of("main", "schemas/name", 2)), floating.schemaRefs());
        assertEquals(List.of(VibeRef.of("main", "schemas/name", 1)), pinned.schemaRefs());
        assertEquals(List.of(VibeRef.of("main", "schemas/name", 1)), onBranch.schemaRefs());
    }

    @Test
    void pinnedReferenceWithoutRevisionIsInvalid() {
        write("schemas/name", "{'type':'string'}", "'x'");

        RefineOutcome outcome = refine.refine(command(MAIN, draft("a", "{'$refOriginal':'aug:/schemas/name'}", "'Ada'")));

        RefineOutcome.Invalid invalid = assertInstanceOf(RefineOutcome.Invalid.class, outcome);
        assertEquals("/vibes/0/schema/$refOriginal", invalid.violations().getFirst().pointer());
    }

    @Test
    void dryRunWritesNothingAndReportsWhichDependentsWouldBreak() {
        write("schemas/name", "{'type':'string'}", "'x'");
        Vibe floating = write("people/ada", "{'type':'object','properties':{'name':{'$ref':'aug:/schemas/name'}}}",
                "{'name':'Ada Lovelace'}");
        Vibe pinned = write("people/bob", "{'type':'object','properties':{'name':{'$ref':'aug:/schemas/name?1'}}}",
                "{'name':'Bob Babbage'}");
        RefineCommand tighten = new RefineCommand(MAIN, ROOT, "tighten", Optional.empty(), List.of(), List.of(),
                List.of(), true, List.of(draft("schemas/name", "{'type':'string','maxLength':5}", "'x'")));

        RefineOutcome outcome = refine.refine(tighten);

        RefineOutcome.Previewed preview = assertInstanceOf(RefineOutcome.Previewed.class, outcome);
        assertEquals(2, preview.vibes().getFirst().vibe().revision().value());
        ImpactReport report = preview.impact().getFirst();
        ImpactReport.Dependent ada = report.dependents().stream().filter(d -> d.ref().equals(floating.ref())).findFirst().orElseThrow();
        ImpactReport.Dependent bob = report.dependents().stream().filter(d -> d.ref().equals(pinned.ref())).findFirst().orElseThrow();
        assertTrue(ada.floating());
        assertFalse(ada.stillValid());
        assertEquals("/name", ada.violations().getFirst().pointer());
        assertFalse(bob.floating());
        assertTrue(bob.stillValid());
        assertEquals(1, head("schemas/name").orElseThrow().revision().value());
    }

    @Test
    void aDryRunChecksTheNearestDependentsUpToItsLimitAndSaysWhenThereAreMore() {
        write("schemas/name", "{'type':'string'}", "'x'");
        write("people/b", "{'type':'object','properties':{'name':{'$ref':'aug:/schemas/name'}}}", "{'name':'Bob Babbage'}");
        write("people/a", "{'type':'object','properties':{'name':{'$ref':'aug:/schemas/name'}}}", "{'name':'Ada'}");
        write("teams/x", "{'type':'object','properties':{'lead':{'$ref':'aug:/people/a'}}}", "{'lead':{'name':'Ada'}}");
        RefineCommand tighten = new RefineCommand(MAIN, ROOT, "tighten", Optional.empty(), List.of(), List.of(),
                List.of(), true, List.of(draft("schemas/name", "{'type':'string','maxLength':5}", "'x'")));
        SchemaResolver resolver = new SchemaResolver(new SchemaResolver.Limits(2_000, 64));

        ImpactReport all = assertInstanceOf(RefineOutcome.Previewed.class, refine.refine(tighten)).impact().getFirst();
        ImpactReport two = assertInstanceOf(RefineOutcome.Previewed.class,
                new RefineService(ledger, clock, resolver, new SchemaValidator(), 100, 2).refine(tighten)).impact().getFirst();
        ImpactReport three = assertInstanceOf(RefineOutcome.Previewed.class,
                new RefineService(ledger, clock, resolver, new SchemaValidator(), 100, 3).refine(tighten)).impact().getFirst();

        assertEquals(List.of("main@people/a?1", "main@people/b?1", "main@teams/x?1"),
                all.dependents().stream().map(d -> d.ref().toString()).toList());
        assertFalse(all.truncated());
        assertEquals(all.dependents().subList(0, 2), two.dependents(), "the nearest first, by depth then ref");
        assertTrue(two.truncated());
        assertFalse(two.dependents().get(1).stillValid(), "a checked dependent is still revalidated");
        assertEquals(all.dependents(), three.dependents());
        assertFalse(three.truncated(), "exactly the limit is not truncated");
        assertThrows(IllegalArgumentException.class,
                () -> new RefineService(ledger, clock, resolver, new SchemaValidator(), 100, 0));
    }

    @Test
    void unknownBranchTargetOrPrototypeIsNotFound() {
        RefineOutcome noBranch = refine.refine(command(new BranchName("nope"), draft("a", "{}", "{}")));
        RefineOutcome noTarget = refine.refine(new RefineCommand(MAIN, ROOT, "", Optional.empty(),
                List.of(VibeRef.of("main", "missing", 1)), List.of(), List.of(), false, List.of(draft("a", "{}", "{}"))));
        RefineOutcome noPrototype = refine.refine(command(MAIN, new VibeDraft(new VibeId("a"), Kind.RECORD,
                Optional.empty(), Optional.of(VibeRef.of("main", "missing", 1)), json("{}"), json("{}"), json("{}"))));

        assertInstanceOf(RefineOutcome.NotFound.class, noBranch);
        assertInstanceOf(RefineOutcome.NotFound.class, noTarget);
        assertInstanceOf(RefineOutcome.NotFound.class, noPrototype);
        assertEquals(Optional.empty(), head("a"));
    }

    @Test
    void theFirstInputThatNamesNoVibeIsNotFoundAndExistingInputsAreRecorded() {
        Vibe ada = write("people/ada", PERSON, "{'name':'Ada'}");
        VibeRef noInstruction = VibeRef.of("main", "missing/instruction", 1);
        VibeRef noBudget = VibeRef.of("main", "missing/budget", 1);

        RefineOutcome missing = refine.refine(new RefineCommand(MAIN, ROOT, "", Optional.empty(), List.of(ada.ref()),
                List.of(ada.ref(), noInstruction), List.of(noBudget), false, List.of(draft("a", "{}", "{}"))));
        RefineOutcome found = refine.refine(new RefineCommand(MAIN, ROOT, "", Optional.empty(), List.of(ada.ref()),
                List.of(ada.ref()), List.of(ada.ref()), false, List.of(draft("a", "{}", "{}"))));

        assertEquals(new RefineOutcome.NotFound("vibe " + noInstruction), missing);
        Refinement written = assertInstanceOf(RefineOutcome.Written.class, found).refinement().orElseThrow();
        assertEquals(List.of(ada.ref()), written.instructionRefs());
        assertEquals(List.of(ada.ref()), written.budgetRefs());
    }

    @Test
    void authorMustBeARole() {
        Vibe record = write("people/ada", PERSON, "{'name':'Ada'}");

        RefineOutcome outcome = refine.refine(new RefineCommand(MAIN, record.ref(), "", Optional.empty(), List.of(),
                List.of(), List.of(), false, List.of(draft("a", "{}", "{}"))));

        assertInstanceOf(RefineOutcome.Invalid.class, outcome);
    }

    @Test
    void prototypeIsRecordedAndPartOfTheDigest() {
        Vibe template = write("templates/person", PERSON, "{'name':'?'}");
        VibeDraft fromTemplate = new VibeDraft(new VibeId("people/ada"), Kind.RECORD, Optional.empty(),
                Optional.of(template.ref()), json("{}"), json(PERSON), json("{'name':'Ada'}"));

        Vibe ada = written(refine.refine(command(MAIN, fromTemplate))).vibes().getFirst().vibe();
        Vibe plain = write("people/ada", PERSON, "{'name':'Ada'}");

        assertEquals(Optional.of(template.ref()), ada.prototypeRef());
        assertEquals(2, plain.revision().value(), "same content without the prototype is a different digest");
    }

    @Test
    void aRoleCanAuthorOnceWritten() {
        Vibe role = written(refine.refine(command(MAIN, VibeDraft.of(new VibeId("roles/ci"), Kind.ROLE,
                json("{}"), json("{}"), json("{'name':'ci'}"))))).vibes().getFirst().vibe();

        RefineOutcome.Written w = written(refine.refine(new RefineCommand(MAIN, role.ref(), "", Optional.empty(),
                List.of(), List.of(), List.of(), false, List.of(draft("a", "{}", "{}")))));

        assertEquals(role.ref(), w.vibes().getFirst().vibe().authorRef());
        assertEquals(role.ref(), w.refinement().orElseThrow().authorRef());
    }

    @Test
    void violationsOfSeveralOutputsAreAllReported() {
        RefineOutcome outcome = refine.refine(command(MAIN,
                draft("a", PERSON, "{}"),
                draft("b", PERSON, "{'name':1}")));

        List<String> pointers = assertInstanceOf(RefineOutcome.Invalid.class, outcome).violations().stream()
                .map(Violation::pointer).toList();
        assertTrue(pointers.contains("/vibes/0/solution"), pointers::toString);
        assertTrue(pointers.contains("/vibes/1/solution/name"), pointers::toString);
    }

    @Test
    void theNulCharacterIsRefusedInEveryAdapterAlike() {
        RefineOutcome outcome = refine.refine(command(MAIN, draft("a", "{}", "{'text':'a\\u0000b'}")));

        RefineOutcome.Invalid invalid = assertInstanceOf(RefineOutcome.Invalid.class, outcome);
        assertEquals("/vibes/0/solution/text", invalid.violations().getFirst().pointer());
        assertEquals(Optional.empty(), head("a"));
    }

    @Test
    void aLoneSurrogateIsRefusedInEveryAdapterAlike() {
        RefineOutcome high = refine.refine(command(MAIN, draft("a", "{}", "{'text':'a\\ud800b'}")));
        RefineOutcome low = refine.refine(command(MAIN, draft("b", "{'title':'\\udc00'}", "{}")));
        // JSON text cannot spell a lone surrogate in a name (Jackson refuses it), but a tree built in code can
        RefineOutcome name = refine.refine(command(MAIN, VibeDraft.of(new VibeId("c"), Kind.RECORD, json("{}"), json("{}"),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("x\ud800", 1))));

        assertEquals("/vibes/0/solution/text",
                assertInstanceOf(RefineOutcome.Invalid.class, high).violations().getFirst().pointer());
        assertEquals("/vibes/0/schema/title",
                assertInstanceOf(RefineOutcome.Invalid.class, low).violations().getFirst().pointer());
        assertTrue(assertInstanceOf(RefineOutcome.Invalid.class, name).violations().getFirst().message()
                .contains("surrogate"), name::toString);
        assertEquals(Optional.empty(), head("a"));
        assertEquals(Optional.empty(), head("b"));
        assertEquals(Optional.empty(), head("c"));
        assertThrows(IllegalArgumentException.class, () -> new RefineCommand(MAIN, ROOT, "\ud800", Optional.empty(),
                List.of(), List.of(), List.of(), false, List.of(draft("d", "{}", "{}"))));
    }

    @Test
    void aDocumentNestedPastTheLimitIsRefusedInEveryAdapterAlike() {
        // JSON text this deep is refused by the HTTP parser already; a process run can build one
        com.fasterxml.jackson.databind.node.ArrayNode deep = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        com.fasterxml.jackson.databind.node.ArrayNode inner = deep;
        for (int i = 1; i < 1_100; i++) inner = inner.addArray();

        RefineOutcome outcome = refine.refine(command(MAIN,
                VibeDraft.of(new VibeId("deep"), Kind.RECORD, json("{}"), json("{}"), deep)));

        Violation v = assertInstanceOf(RefineOutcome.Invalid.class, outcome).violations().getFirst();
        assertEquals("/vibes/0/solution", v.pointer());
        assertTrue(v.message().contains("deeper than"), v::toString);
        assertEquals(Optional.empty(), head("deep"));
    }

    @Test
    void aSurrogatePairIsStoredAndReadBackAsWritten() {
        written(refine.refine(command(MAIN, draft("a", "{}", "{'text':'\\ud83d\\ude00'}"))));

        assertEquals("\ud83d\ude00", head("a").orElseThrow().solution().get("text").textValue());
    }

    @Test
    void aSchemaThatRecursesWithoutEndIsInvalidNotACrash() {
        RefineOutcome self = refine.refine(command(MAIN, draft("a", "{'$ref':'#'}", "{}")));
        RefineOutcome loop = refine.refine(command(MAIN, draft("b",
                "{'$defs':{'x':{'$ref':'#/$defs/y'},'y':{'$ref':'#/$defs/x'}},'$ref':'#/$defs/x'}", "1")));

        assertInstanceOf(RefineOutcome.Invalid.class, self);
        assertInstanceOf(RefineOutcome.Invalid.class, loop);
        assertEquals(Optional.empty(), head("a"));
    }

    @Test
    void aLegitimatelyRecursiveSchemaValidates() {
        String tree = "{'type':'object','properties':{'children':{'type':'array','items':{'$ref':'#'}}}}";

        RefineOutcome.Written w = written(refine.refine(command(MAIN,
                draft("tree", tree, "{'children':[{'children':[]},{'children':[{}]}]}"))));
        RefineOutcome bad = refine.refine(command(MAIN, draft("tree", tree, "{'children':[{'children':1}]}")));

        assertEquals(1, w.vibes().getFirst().vibe().revision().value());
        assertEquals("/vibes/0/solution/children/0/children",
                assertInstanceOf(RefineOutcome.Invalid.class, bad).violations().getFirst().pointer());
    }

    @Test
    void aReferenceLatticeThatWouldMakeValidationExplodeIsRefusedQuickly() {
        // 30 layers of diamonds in one refinement: 60 outputs whose references expand to 2^30 paths.
        java.util.List<VibeDraft> layers = new java.util.ArrayList<>();
        layers.add(draft("l/0/a", "{'type':'integer'}", "1"));
        layers.add(draft("l/0/b", "{'type':'integer'}", "1"));
        for (int i = 1; i < 30; i++) {
            String below = "[{'$ref':'aug:/l/" + (i - 1) + "/a'},{'$ref':'aug:/l/" + (i - 1) + "/b'}]";
            layers.add(draft("l/" + i + "/a", "{'allOf':" + below + "}", "1"));
            layers.add(draft("l/" + i + "/b", "{'allOf':" + below + "}", "1"));
        }

        long started = System.nanoTime();
        RefineOutcome outcome = refine.refine(command(MAIN, layers.toArray(VibeDraft[]::new)));
        long millis = (System.nanoTime() - started) / 1_000_000;

        RefineOutcome.Invalid invalid = assertInstanceOf(RefineOutcome.Invalid.class, outcome);
        assertTrue(invalid.violations().getFirst().message().contains("expands"), invalid.violations()::toString);
        assertTrue(millis < 60_000, "refused in " + millis + " ms, not after exploring the lattice");
        assertEquals(Optional.empty(), head("l/0/a"));
    }
}
