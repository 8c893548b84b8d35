package dev.refinery.application.read;

import java.util.List;
import java.util.Optional;

/** One page of a listing; {@code nextCursor} is opaque and present when more items follow. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
