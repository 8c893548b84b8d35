package dev.refinery.domain.log;

import java.util.Base64;
import java.util.Optional;

/**
 * A C2SP {@code tlog-checkpoint} body: the log's origin line, the tree size in decimal and the
 * base64 root hash, each ending in a newline. It is the text a checkpoint's signed note signs.
 */
public record Checkpoint(String origin, long size, byte[] root) {
    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("an origin is one non-empty line");
        }
        if (size < 0) throw new IllegalArgumentException("a tree size is never negative: " + size);
        if (root == null || root.length != MerkleHash.SIZE) throw new IllegalArgumentException("a root hash has 32 bytes");
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** Reads a checkpoint body; extension lines after the root are allowed and ignored. */
    public static Optional<Checkpoint> parse(String body) {
        if (body == null || !body.endsWith("\n")) return Optional.empty();
        String[] lines = body.split("\n", -1);
        if (lines.length < 4) return Optional.empty();
        try {
            if (!lines[1].matches("0|[1-9][0-9]{0,18}")) return Optional.empty();
            byte[] root = Base64.getDecoder().decode(lines[2]);
            return Optional.of(new Checkpoint(lines[0], Long.parseLong(lines[1]), root));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size
                && java.util.Arrays.equals(c.root, root);
    }

    @Override
    public int hashCode() {
        return origin.hashCode() * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return body();
    }
}
