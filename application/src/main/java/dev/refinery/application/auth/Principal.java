package dev.refinery.application.auth;

import dev.refinery.domain.VibeRef;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An authenticated caller: the ROLE vibe it acts as (the author of its writes), its scopes, and the
 * branches it may write ({@link BranchPattern#ANY} unless its token was limited to some).
 */
public record Principal(VibeRef role, Set<Scope> scopes, List<BranchPattern> branches) {
    public Principal {
        if (role == null || scopes == null || scopes.isEmpty() || branches == null || branches.isEmpty()) {
            throw new IllegalArgumentException("a principal needs a role, at least one scope and one branch pattern");
        }
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
        branches = branches.stream().distinct().sorted(Comparator.comparing(BranchPattern::text)).toList();
    }

    /** A caller whose writes are not limited to some branches. */
    public Principal(VibeRef role, Set<Scope> scopes) {
        this(role, scopes, List.of(BranchPattern.ANY));
    }

    /**
     * A caller inside the process that no token limits: the command line, a run writing its result (its start
     * was checked), an embedding program. Never one that came over the network.
     */
    public static Principal unrestricted(VibeRef role) {
        return new Principal(role, EnumSet.of(Scope.ADMIN));
    }

    /** Whether this caller may do what {@code needed} covers; {@code admin} covers everything. */
    public boolean may(Scope needed) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(needed);
    }
}
