package dev.refinery.application.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.application.branch.BranchService;
import dev.refinery.application.branch.BranchUseCases;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.read.ReadService;
import dev.refinery.application.refine.MergeService;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The application's services over one ledger adapter. Each contract test class extends this and
 * each adapter module subclasses the contract with {@link #newLedger(Clock)}.
 */
public abstract class LedgerFixture {
    /** The ROLE vibe every ledger starts with (created by the genesis refinement). */
    public static final VibeRef ROOT = VibeRef.of("main", "roles/root", 1);
    public static final BranchName MAIN = BranchName.MAIN;
    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true);

    protected TickingClock clock;
    protected VibeLedger ledger;
    protected RefineService refine;
    protected ReadService read;
    protected BranchService branches;
    protected MergeService merge;

    /** A fresh, empty ledger (holding only the genesis refinement, the root role and main). */
    protected abstract VibeLedger newLedger(Clock clock);

    @BeforeEach
    void wire() {
        clock = new TickingClock();
        ledger = newLedger(clock);
        SchemaResolver resolver = new SchemaResolver(new SchemaResolver.Limits(2_000, 64));
        SchemaValidator validator = new SchemaValidator();
        refine = new RefineService(ledger, clock, resolver, validator, 100);
        read = new ReadService(ledger, clock, resolver);
        branches = new BranchService(ledger, clock);
        merge = new MergeService(ledger, clock, resolver, validator);
    }

    /** JSON with single quotes allowed, to keep tests readable. */
    protected static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    protected static VibeDraft draft(String id, String schema, String solution) {
        return VibeDraft.of(new VibeId(id), Kind.RECORD, json("{}"), json(schema), json(solution));
    }

    protected static RefineCommand command(BranchName branch, VibeDraft... drafts) {
        return new RefineCommand(branch, ROOT, "test", Optional.empty(), List.of(), List.of(), List.of(), false,
                List.of(drafts));
    }

    protected RefineOutcome.Written written(RefineOutcome outcome) {
        return assertInstanceOf(RefineOutcome.Written.class, outcome, () -> "expected Written, got " + outcome);
    }

    /** Writes one vibe on a branch and returns it. */
    protected Vibe write(BranchName branch, String id, String schema, String solution) {
        return written(refine.refine(command(branch, draft(id, schema, solution)))).vibes().getFirst().vibe();
    }

    protected Vibe write(String id, String schema, String solution) {
        return write(MAIN, id, schema, solution);
    }

    protected void fork(String name, String from) {
        assertInstanceOf(BranchUseCases.CreateOutcome.Created.class, branches.create(
                new BranchUseCases.CreateBranch(new BranchName(name), new BranchName(from), ROOT)));
    }

    /**
     * A clock that moves forward by a millisecond at every reading, so every write has its own instant.
     * It starts on a whole microsecond: a database ledger keeps instants to the microsecond.
     */
    public static final class TickingClock extends Clock {
        private final Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS).plusSeconds(1);
        private final AtomicLong ticks = new AtomicLong();

        @Override
        public Instant instant() {
            return start.plusMillis(ticks.incrementAndGet());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
