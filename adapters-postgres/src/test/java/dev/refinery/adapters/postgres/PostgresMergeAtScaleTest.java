package dev.refinery.adapters.postgres;

import dev.refinery.application.branch.BranchService;
import dev.refinery.application.branch.BranchUseCases;
import dev.refinery.application.refine.MergeCommand;
import dev.refinery.application.refine.MergeOutcome;
import dev.refinery.application.refine.MergeService;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Merges and diffs on a ledger of more ids than PostgreSQL's lock table holds (64 locks per connection slot:
 * about 7,000 on a default server). A merge used to lock every id its source could see, one statement each, and
 * failed with "out of shared memory" past that; it now reads and locks in proportion to what changed.
 */
class PostgresMergeAtScaleTest {
    private static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);
    private static final int IDS = 20_000;
    private static final BranchName MAIN = BranchName.MAIN;
    private static final BranchName DEV = new BranchName("dev");

    private TestDatabase db;
    private PostgresVibeLedger ledger;
    private RefineService refine;
    private BranchService branches;
    private MergeService merge;

    @BeforeEach
    void start() {
        db = TestDatabase.create();
        // the ids as one bulk write through the database, each in a refinement of its own (as the benchmarks load)
        db.bulkVibes("bulk", IDS, 1000);
        db.execute("SELECT setval('refinement_id_seq', 1000 + %d)".formatted(IDS), "ANALYZE");
        ledger = PostgresVibeLedger.create(db.application().withPoolSize(4));
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
        SchemaResolver resolver = new SchemaResolver();
        refine = new RefineService(ledger, clock, resolver, new SchemaValidator(), 10);
        branches = new BranchService(ledger, clock);
        merge = new MergeService(ledger, clock, resolver, new SchemaValidator());
    }

    @AfterEach
    void stop() {
        if (ledger != null) ledger.close();
        if (db != null) db.close();
    }

    private VibeRef write(BranchName branch, String id) {
        VibeDraft draft = VibeDraft.of(new VibeId(id), Kind.RECORD, JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.textNode(id));
        RefineOutcome outcome = refine.refine(new RefineCommand(branch, ROOT, "", Optional.empty(), List.of(), List.of(),
                List.of(), false, List.of(draft)));
        return assertInstanceOf(RefineOutcome.Written.class, outcome).vibes().getFirst().vibe().ref();
    }

    @Test
    void aBranchOfALargeLedgerMergesBothWaysAndDiffsWhatChanged() {
        assertInstanceOf(BranchUseCases.CreateOutcome.Created.class,
                branches.create(new BranchUseCases.CreateBranch(DEV, MAIN, ROOT)));
        VibeRef changed = write(DEV, "bulk/17");
        VibeRef added = write(DEV, "fresh/1");
        VibeRef onMain = write(MAIN, "bulk/18");

        assertEquals(List.of(new VibeId("bulk/17"), new VibeId("bulk/18"), new VibeId("fresh/1")),
                branches.diff(MAIN, DEV).orElseThrow().stream().map(BranchUseCases.Difference::id).toList());
        MergeOutcome.Merged toMain = assertInstanceOf(MergeOutcome.Merged.class,
                merge.merge(new MergeCommand(DEV, MAIN, ROOT, "", Map.of(), Optional.empty())));
        assertEquals(List.of(changed, added), toMain.fastForwarded());
        MergeOutcome.Merged toDev = assertInstanceOf(MergeOutcome.Merged.class,
                merge.merge(new MergeCommand(MAIN, DEV, ROOT, "", Map.of(), Optional.empty())));
        assertEquals(List.of(onMain), toDev.fastForwarded());
        assertEquals(List.of(), branches.diff(MAIN, DEV).orElseThrow());
        assertEquals(IDS + 2, ledger.read(tx -> tx.heads(DEV, java.time.Instant.MAX, "", Optional.empty(),
                Optional.empty(), IDS + 10)).size(), "the bulk ids, fresh/1 and the root role, on dev");
    }
}
