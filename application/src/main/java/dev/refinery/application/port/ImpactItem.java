package dev.refinery.application.port;

import dev.refinery.domain.VibeRef;

/** A current head affected by a change of some id: how far away it is, and whether it would follow the change. */
public record ImpactItem(VibeRef ref, int depth, boolean floating) {}
