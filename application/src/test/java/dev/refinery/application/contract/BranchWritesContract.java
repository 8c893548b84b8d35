package dev.refinery.application.contract;

import dev.refinery.application.auth.BranchPattern;
import dev.refinery.application.auth.Principal;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.branch.BranchUseCases.CreateBranch;
import dev.refinery.application.branch.BranchUseCases.CreateOutcome;
import dev.refinery.application.refine.MergeCommand;
import dev.refinery.application.refine.MergeOutcome;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write use cases apply {@link dev.refinery.application.auth.BranchWritePolicy} (main protected, as by
 * default) to the caller a command carries, before anything is read or written.
 */
public abstract class BranchWritesContract extends LedgerFixture {
    private static final Principal WRITER = new Principal(ROOT, Set.of(Scope.READ, Scope.WRITE));
    private static final Principal ADMIN = new Principal(ROOT, Set.of(Scope.ADMIN));
    private static final Principal FEATURES = new Principal(ROOT, Set.of(Scope.READ, Scope.WRITE),
            List.of(BranchPattern.parse("feature/*")));

    private RefineOutcome refineAs(Principal caller, String branch, String id) {
        return refine.refine(new RefineCommand(new BranchName(branch), caller, "", Optional.empty(), List.of(),
                List.of(), List.of(), false, List.of(draft(id, "{}", "1"))));
    }

    private boolean exists(String branch, String id) {
        return ledger.read(tx -> tx.head(new BranchName(branch), new VibeId(id), java.time.Instant.MAX)).isPresent();
    }

    @Test
    void aWriteTokenCannotRefineOnProtectedMain() {
        RefineOutcome.Forbidden refused = assertInstanceOf(RefineOutcome.Forbidden.class, refineAs(WRITER, "main", "w"));

        assertEquals(MAIN, refused.refusal().branch());
        assertTrue(refused.refusal().reason().contains("admin"), refused.refusal().reason());
        assertTrue(!exists("main", "w"));
    }

    @Test
    void anAdminTokenRefinesOnMain() {
        assertInstanceOf(RefineOutcome.Written.class, refineAs(ADMIN, "main", "a"));
    }

    @Test
    void aFeatureTokenWritesFeatureBranchesOnly() {
        // given
        fork("dev", "main");

        // when / then
        assertInstanceOf(CreateOutcome.Created.class, branches.create(
                new CreateBranch(new BranchName("feature/x"), MAIN, FEATURES)));
        assertInstanceOf(RefineOutcome.Written.class, refineAs(FEATURES, "feature/x", "f"));
        assertInstanceOf(RefineOutcome.Forbidden.class, refineAs(FEATURES, "main", "f"));
        assertInstanceOf(RefineOutcome.Forbidden.class, refineAs(FEATURES, "dev", "f"));
        assertInstanceOf(CreateOutcome.Forbidden.class, branches.create(
                new CreateBranch(new BranchName("dev/y"), BranchName.parse("feature/x"), FEATURES)));
        assertTrue(!exists("main", "f") && !exists("dev", "f"));
    }

    @Test
    void aMergeWritesItsTargetOnly() {
        // given work on a feature branch
        fork("feature/x", "main");
        fork("feature/y", "main");
        refineAs(FEATURES, "feature/x", "m");

        // when / then: a feature token merges between feature branches, not into main
        assertInstanceOf(MergeOutcome.Merged.class, merge.merge(new MergeCommand(BranchName.parse("feature/x"),
                BranchName.parse("feature/y"), FEATURES, "", Map.of(), Optional.empty())));
        assertInstanceOf(MergeOutcome.Forbidden.class, merge.merge(new MergeCommand(BranchName.parse("feature/x"),
                MAIN, FEATURES, "", Map.of(), Optional.empty())));
        assertInstanceOf(MergeOutcome.Forbidden.class, merge.merge(new MergeCommand(BranchName.parse("feature/x"),
                MAIN, WRITER, "", Map.of(), Optional.empty())));
        assertTrue(!exists("main", "m"));
        assertInstanceOf(MergeOutcome.Merged.class, merge.merge(new MergeCommand(BranchName.parse("feature/x"),
                MAIN, ADMIN, "", Map.of(), Optional.empty())));
        assertTrue(exists("main", "m"));
    }
}
