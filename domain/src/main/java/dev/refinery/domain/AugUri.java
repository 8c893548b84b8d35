package dev.refinery.domain;

import java.util.Optional;

/**
 * A reference to a vibe inside a schema or a request. Four forms:
 * <ul>
 *   <li>{@code aug:/ID} — latest revision visible on the context branch;</li>
 *   <li>{@code aug:/ID?N} — revision N as visible on the context branch;</li>
 *   <li>{@code aug:~BRANCH/ID[?N]} — the same on a single-segment BRANCH;</li>
 *   <li>{@code aug:BRANCH@ID[?N]} — any branch, the canonical-ref form.</li>
 * </ul>
 * A branch-qualified URI always formats in the canonical-ref form.
 */
public record AugUri(Optional<BranchName> branch, VibeId id, Optional<Revision> revision) {
    public static final String SCHEME = "aug:";

    public AugUri {
        if (branch == null || id == null || revision == null) {
            throw new IllegalArgumentException("branch, id and revision must not be null (use Optional.empty())");
        }
    }

    public static boolean looksLikeAugUri(String text) {
        return text != null && text.startsWith(SCHEME);
    }

    public static AugUri of(VibeRef ref) {
        return new AugUri(Optional.of(ref.branch()), ref.id(), Optional.of(ref.revision()));
    }

    public static AugUri floating(VibeId id) {
        return new AugUri(Optional.empty(), id, Optional.empty());
    }

    public static AugUri parse(String text) {
        final String what = "aug URI";
        if (text == null) throw new MalformedTextException(what, null, -1, "must not be null");
        if (!text.startsWith(SCHEME)) {
            throw new MalformedTextException(what, text, 0, "must start with 'aug:'");
        }
        int start = SCHEME.length();
        if (start == text.length()) {
            throw new MalformedTextException(what, text, start, "nothing after 'aug:' (expected '/ID', '~BRANCH/ID' or 'BRANCH@ID')");
        }
        char first = text.charAt(start);
        int question = text.indexOf('?', start);
        int idEnd = question < 0 ? text.length() : question;
        // parts are checked left to right, so the error reported is the first one in the text
        if (first == '/') {
            VibeId id = VibeRef.part(what, text, start + 1, () -> new VibeId(text.substring(start + 1, idEnd)));
            return new AugUri(Optional.empty(), id, revision(what, text, question));
        }
        if (first == '~') {
            int slash = text.indexOf('/', start);
            if (slash < 0 || slash > idEnd) {
                throw new MalformedTextException(what, text, -1, "'aug:~BRANCH/ID' needs a '/' between branch and id");
            }
            BranchName branch = VibeRef.part(what, text, start + 1, () -> new BranchName(text.substring(start + 1, slash)));
            VibeId id = VibeRef.part(what, text, slash + 1, () -> new VibeId(text.substring(slash + 1, idEnd)));
            return new AugUri(Optional.of(branch), id, revision(what, text, question));
        }
        int at = text.indexOf('@', start);
        if (at < 0 || at > idEnd) {
            throw new MalformedTextException(what, text, start,
                    "expected '/ID', '~BRANCH/ID' or 'BRANCH@ID' after 'aug:'");
        }
        BranchName branch = VibeRef.part(what, text, start, () -> new BranchName(text.substring(start, at)));
        VibeId id = VibeRef.part(what, text, at + 1, () -> new VibeId(text.substring(at + 1, idEnd)));
        return new AugUri(Optional.of(branch), id, revision(what, text, question));
    }

    private static Optional<Revision> revision(String what, String text, int question) {
        return question < 0 ? Optional.empty()
                : Optional.of(VibeRef.part(what, text, question + 1, () -> Revision.parse(text.substring(question + 1))));
    }

    /** Pinned URIs name an exact revision; floating ones move to the latest visible. */
    public boolean isPinned() {
        return revision.isPresent();
    }

    /** The branch this URI looks on, given the branch of the context it appears in. */
    public BranchName branchIn(BranchName contextBranch) {
        return branch.orElse(contextBranch);
    }

    /** The canonical ref this URI names, when it is pinned. */
    public Optional<VibeRef> refIn(BranchName contextBranch) {
        return revision.map(r -> new VibeRef(branchIn(contextBranch), id, r));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(SCHEME);
        branch.ifPresentOrElse(b -> s.append(b.value()).append('@'), () -> s.append('/'));
        s.append(id.value());
        revision.ifPresent(r -> s.append('?').append(r.value()));
        return s.toString();
    }
}
