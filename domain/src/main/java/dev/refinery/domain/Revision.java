package dev.refinery.domain;

/** A positive revision number of an id, counted per branch lineage. */
public record Revision(int value) implements Comparable<Revision> {
    public static final Revision FIRST = new Revision(1);

    public Revision {
        if (value < 1) {
            throw new MalformedTextException("revision", String.valueOf(value), -1, "must be a positive integer");
        }
    }

    public static Revision of(int value) {
        return new Revision(value);
    }

    /** Parses decimal digits without sign or leading zeros. */
    public static Revision parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new MalformedTextException("revision", text, -1, "must be a positive integer");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedTextException("revision", text, i,
                        "'" + MalformedTextException.shown(text, i) + "' is not a digit");
            }
        }
        if (text.charAt(0) == '0') {
            throw new MalformedTextException("revision", text, 0,
                    text.length() == 1 ? "revisions start at 1" : "leading zeros are not allowed");
        }
        if (text.length() > 10 || Long.parseLong(text) > Integer.MAX_VALUE) {
            throw new MalformedTextException("revision", text, -1, "is larger than " + Integer.MAX_VALUE);
        }
        return new Revision(Integer.parseInt(text));
    }

    public Revision next() {
        if (value == Integer.MAX_VALUE) throw new IllegalStateException("revision overflow");
        return new Revision(value + 1);
    }

    public boolean isAfter(Revision other) {
        return value > other.value;
    }

    @Override
    public int compareTo(Revision other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
