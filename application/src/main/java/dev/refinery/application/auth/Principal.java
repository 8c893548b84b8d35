package dev.refinery.application.auth;

import dev.refinery.domain.VibeRef;

import java.util.EnumSet;
import java.util.Set;

/** An authenticated caller: the ROLE vibe it acts as (the author of its writes) and its scopes. */
public record Principal(VibeRef role, Set<Scope> scopes) {
    public Principal {
        if (role == null || scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("a principal needs a role and at least one scope");
        }
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
    }

    /** Whether this caller may do what {@code needed} covers; {@code admin} covers everything. */
    public boolean may(Scope needed) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(needed);
    }
}
