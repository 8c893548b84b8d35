package dev.refinery.application.refine;

import dev.refinery.domain.Vibe;

/** A vibe a refine answers with; {@code unchanged} when its content equalled the head and nothing was written. */
public record RefinedVibe(Vibe vibe, boolean unchanged) {}
