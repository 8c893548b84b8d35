package dev.refinery.domain;

/** The conceptual identity of a vibe: a path such as {@code schemas/user}. */
public record VibeId(String value) implements Comparable<VibeId> {
    public static final int MAX_LENGTH = 255;

    public VibeId {
        PathSyntax.check("vibe id", value, MAX_LENGTH);
    }

    public static VibeId parse(String text) {
        return new VibeId(text);
    }

    /**
     * Whether this id equals {@code prefix} or lies below it, whole segments only: {@code schemas} and
     * {@code schemas/} are prefixes of {@code schemas/user}, not of {@code schemas-old/user}. Every id lies
     * below the empty prefix.
     */
    public boolean startsWith(String prefix) {
        if (prefix.isEmpty() || value.equals(prefix)) return true;
        return value.startsWith(prefix.endsWith("/") ? prefix : prefix + '/');
    }

    @Override
    public int compareTo(VibeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
