package dev.refinery.domain;

/** The canonical reference of one vibe revision: {@code BRANCH@ID?REVISION}, e.g. {@code main@schemas/user?1}. */
public record VibeRef(BranchName branch, VibeId id, Revision revision) implements Comparable<VibeRef> {

    public VibeRef {
        if (branch == null || id == null || revision == null) {
            throw new IllegalArgumentException("branch, id and revision are required");
        }
    }

    public static VibeRef of(BranchName branch, VibeId id, Revision revision) {
        return new VibeRef(branch, id, revision);
    }

    public static VibeRef of(String branch, String id, int revision) {
        return new VibeRef(new BranchName(branch), new VibeId(id), new Revision(revision));
    }

    public static VibeRef parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new MalformedTextException("vibe ref", text, -1, "must have the form BRANCH@ID?REVISION");
        }
        int at = text.indexOf('@');
        if (at < 0) {
            throw new MalformedTextException("vibe ref", text, -1, "missing '@' between branch and id (BRANCH@ID?REVISION)");
        }
        int question = text.indexOf('?', at);
        if (question < 0) {
            throw new MalformedTextException("vibe ref", text, -1, "missing '?REVISION' after the id (BRANCH@ID?REVISION)");
        }
        BranchName branch = part(text, 0, () -> new BranchName(text.substring(0, at)));
        VibeId id = part(text, at + 1, () -> new VibeId(text.substring(at + 1, question)));
        Revision revision = part(text, question + 1, () -> Revision.parse(text.substring(question + 1)));
        return new VibeRef(branch, id, revision);
    }

    /** Re-reports an error inside one part of a composite text with its position in the whole text. */
    static <T> T part(String whole, int offset, java.util.function.Supplier<T> parser) {
        return part("vibe ref", whole, offset, parser);
    }

    static <T> T part(String what, String whole, int offset, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (MalformedTextException e) {
            int position = e.position() >= 0 ? offset + e.position() : offset;
            throw new MalformedTextException(what, whole, position, e.what() + " " + e.reason());
        }
    }

    public VibeRef withBranch(BranchName other) {
        return new VibeRef(other, id, revision);
    }

    @Override
    public int compareTo(VibeRef o) {
        int c = branch.compareTo(o.branch);
        if (c != 0) return c;
        c = id.compareTo(o.id);
        return c != 0 ? c : revision.compareTo(o.revision);
    }

    @Override
    public String toString() {
        return branch.value() + '@' + id.value() + '?' + revision.value();
    }
}
