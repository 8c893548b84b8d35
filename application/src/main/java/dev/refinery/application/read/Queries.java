package dev.refinery.application.read;

import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Revision;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaView;

import java.time.Instant;
import java.util.Optional;

/** The queries of the read use cases; each checks itself. */
public final class Queries {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    private Queries() {}

    static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    private static void require(Object... values) {
        for (Object v : values) if (v == null) throw new IllegalArgumentException("a required query field is missing");
    }

    /** A vibe: the latest visible, that revision, or the latest as of a time. */
    public record ReadVibe(BranchName branch, VibeId id, Optional<Revision> revision, Optional<Instant> asOf) {
        public ReadVibe { require(branch, id, revision, asOf); }
    }

    public record ResolveUri(AugUri uri, BranchName branch, Optional<Instant> asOf) {
        public ResolveUri { require(uri, branch, asOf); }
    }

    public record History(BranchName branch, VibeId id, int limit, Optional<String> cursor) {
        public History { require(branch, id, cursor); checkLimit(limit); }
    }

    public record ListHeads(BranchName branch, String prefix, Optional<Kind> kind, int limit, Optional<String> cursor) {
        public ListHeads {
            require(branch, kind, cursor);
            prefix = prefix == null ? "" : prefix;
            checkLimit(limit);
        }
    }

    public record ResolvedSchema(BranchName branch, VibeId id, Optional<Revision> revision, SchemaView view) {
        public ResolvedSchema { require(branch, id, revision, view); }
    }

    /**
     * Dependencies or dependents of one revision (the head when no revision is given), a page at a time: ordered
     * by depth, then the far end's ref.
     */
    public record Graph(BranchName branch, VibeId id, Optional<Revision> revision, boolean transitive, int limit,
                        Optional<String> cursor) {
        public Graph { require(branch, id, revision, cursor); checkLimit(limit); }
    }

    /** The heads on a branch that depend on any revision of an id, a page at a time: ordered by depth, then ref. */
    public record Impact(BranchName branch, VibeId id, int limit, Optional<String> cursor) {
        public Impact { require(branch, id, cursor); checkLimit(limit); }
    }

    public record Provenance(BranchName branch, VibeId id, Optional<Revision> revision) {
        public Provenance { require(branch, id, revision); }
    }

    public record ListRefinements(Optional<BranchName> branch, Optional<VibeRef> author, int limit,
                                  Optional<String> cursor) {
        public ListRefinements { require(branch, author, cursor); checkLimit(limit); }
    }
}
