package dev.refinery.application.auth;

import dev.refinery.domain.BranchName;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.VibeRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BranchWritePolicyTest {
    private static final VibeRef ROLE = VibeRef.of("main", "roles/root", 1);
    private static final BranchWritePolicy POLICY = BranchWritePolicy.PROTECTING_MAIN;

    private static Principal caller(List<String> branches, Scope... scopes) {
        return new Principal(ROLE, Set.of(scopes), branches.stream().map(BranchPattern::parse).toList());
    }

    private static boolean mayWrite(Principal caller, String branch) {
        return POLICY.check(caller, BranchName.parse(branch)).isEmpty();
    }

    @Test
    void aWriteTokenWritesEveryBranchButTheProtectedOne() {
        Principal writer = new Principal(ROLE, Set.of(Scope.WRITE));
        assertFalse(mayWrite(writer, "main"));
        assertTrue(mayWrite(writer, "dev/x"));
        assertTrue(mayWrite(writer, "maintenance"));
    }

    @Test
    void anAdminTokenWritesTheProtectedBranch() {
        assertTrue(mayWrite(new Principal(ROLE, Set.of(Scope.ADMIN)), "main"));
    }

    @Test
    void aFeatureTokenWritesOnlyFeatureBranches() {
        Principal feature = caller(List.of("feature/*"), Scope.READ, Scope.WRITE);
        assertTrue(mayWrite(feature, "feature/x"));
        assertTrue(mayWrite(feature, "feature/x/y"));
        assertFalse(mayWrite(feature, "main"));
        assertFalse(mayWrite(feature, "dev/x"));
        assertFalse(mayWrite(feature, "feature"));
        assertFalse(mayWrite(feature, "my-feature/x"));
    }

    @Test
    void branchPatternsLimitAdminsToo() {
        Principal admin = caller(List.of("feature/*"), Scope.ADMIN);
        assertFalse(mayWrite(admin, "main"));
        assertTrue(mayWrite(admin, "feature/x"));
    }

    @Test
    void aReadTokenWritesNothing() {
        assertFalse(mayWrite(new Principal(ROLE, Set.of(Scope.READ)), "dev/x"));
    }

    @Test
    void protectionTakesPatterns() {
        BranchWritePolicy releases = new BranchWritePolicy(List.of(BranchPattern.parse("main"), BranchPattern.parse("release/*")));
        Principal writer = new Principal(ROLE, Set.of(Scope.WRITE));
        assertTrue(releases.check(writer, BranchName.parse("release/1")).isPresent());
        assertTrue(releases.check(writer, BranchName.parse("releases")).isEmpty());
        assertTrue(new BranchWritePolicy(List.of()).check(writer, BranchName.MAIN).isEmpty());
    }

    @Test
    void aPatternMatchesAsAGlob() {
        assertTrue(BranchPattern.parse("*").matches(BranchName.parse("a/b/c")));
        assertTrue(BranchPattern.parse("a*c").matches(BranchName.parse("abbbc")));
        assertTrue(BranchPattern.parse("a*b*c").matches(BranchName.parse("a-b-b-c")));
        assertFalse(BranchPattern.parse("a*b*c").matches(BranchName.parse("a-b-b-cd")));
        assertFalse(BranchPattern.parse("main").matches(BranchName.parse("main2")));
    }

    @Test
    void aPatternIsABranchNameWithStars() {
        assertThrows(MalformedTextException.class, () -> BranchPattern.parse("feature/ x"));
        assertThrows(MalformedTextException.class, () -> BranchPattern.parse(""));
        assertThrows(MalformedTextException.class, () -> BranchPattern.parse("/*"));
    }
}
