package dev.refinery.domain;

/** A branch name such as {@code main} or {@code dev/feature-x}. */
public record BranchName(String value) implements Comparable<BranchName> {
    public static final int MAX_LENGTH = 128;
    public static final BranchName MAIN = new BranchName("main");

    public BranchName {
        PathSyntax.check("branch name", value, MAX_LENGTH);
    }

    public static BranchName parse(String text) {
        return new BranchName(text);
    }

    /** A single-segment branch can be named in the short {@code aug:~BRANCH/ID} form. */
    public boolean isSingleSegment() {
        return value.indexOf('/') < 0;
    }

    public boolean isMain() {
        return equals(MAIN);
    }

    @Override
    public int compareTo(BranchName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
