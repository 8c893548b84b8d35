package dev.refinery.application.port;

import dev.refinery.domain.VibeRef;

/**
 * One edge of the dependency graph: {@code from} uses {@code to}. {@code pinned} when every reference
 * from {@code from} to {@code to} named an exact revision; {@code depth} is 1 for a direct edge and the
 * smallest number of hops from the starting vibe otherwise.
 */
public record Edge(VibeRef from, VibeRef to, EdgeType type, boolean pinned, int depth) {
    public enum EdgeType {
        SCHEMA, PROTOTYPE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
