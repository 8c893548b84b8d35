package dev.refinery.application.auth;

import dev.refinery.domain.BranchName;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who may write a branch: refine on it, merge into it, fork it, or start a run whose result is written to
 * it. The caller needs scope {@code write}; a token limited to some branch patterns writes only the
 * branches they match; and a protected branch is written only by a caller with scope {@code admin}
 * (whatever its patterns say). Reading, and merging <em>from</em> a branch, is not writing it.
 */
public final class BranchWritePolicy {
    /** {@code main} is protected: the default while tokens are in use. */
    public static final BranchWritePolicy PROTECTING_MAIN = new BranchWritePolicy(List.of(BranchPattern.parse("main")));

    private final List<BranchPattern> protectedBranches;

    /** @param protectedBranches the branches only {@code admin} writes (none: no branch is protected) */
    public BranchWritePolicy(List<BranchPattern> protectedBranches) {
        this.protectedBranches = List.copyOf(protectedBranches);
    }

    public List<BranchPattern> protectedBranches() {
        return protectedBranches;
    }

    /** Why {@code caller} may not write {@code branch}; empty when it may. */
    public Optional<Refusal> check(Principal caller, BranchName branch) {
        if (!caller.may(Scope.WRITE)) {
            return Optional.of(new Refusal(branch, "writing needs scope write, which the token does not have"));
        }
        if (caller.branches().stream().noneMatch(p -> p.matches(branch))) {
            return Optional.of(new Refusal(branch, "the token may write only branches matching "
                    + caller.branches().stream().map(BranchPattern::text).collect(Collectors.joining(", "))
                    + ", not " + branch));
        }
        if (!caller.may(Scope.ADMIN) && protectedBranches.stream().anyMatch(p -> p.matches(branch))) {
            return Optional.of(new Refusal(branch, "branch " + branch + " is protected: writing it needs scope admin"));
        }
        return Optional.empty();
    }

    /** A write the policy refuses, and the reason, for a person. */
    public record Refusal(BranchName branch, String reason) {}
}
