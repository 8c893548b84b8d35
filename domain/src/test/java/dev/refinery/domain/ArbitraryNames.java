package dev.refinery.domain;

import java.util.Random;

/** Random valid names, ids, revisions and refs; short ones mostly, some right at the length limit. */
final class ArbitraryNames {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String INNER = ALPHANUMERIC + "._-";

    private ArbitraryNames() {}

    static VibeId vibeId(Random random) {
        return new VibeId(path(random, VibeId.MAX_LENGTH, true));
    }

    static BranchName branchName(Random random) {
        return new BranchName(path(random, BranchName.MAX_LENGTH, true));
    }

    static BranchName singleSegmentBranchName(Random random) {
        return new BranchName(path(random, BranchName.MAX_LENGTH, false));
    }

    static Revision revision(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new Revision(1 + random.nextInt(9));
            case 1 -> new Revision(Integer.MAX_VALUE - random.nextInt(3));
            default -> new Revision(1 + random.nextInt(Integer.MAX_VALUE));
        };
    }

    static VibeRef vibeRef(Random random) {
        return new VibeRef(branchName(random), vibeId(random), revision(random));
    }

    /** Segments of {@code [A-Za-z0-9][A-Za-z0-9._-]*} joined by '/', at most {@code maxLength} long. */
    static String path(Random random, int maxLength, boolean manySegments) {
        int length = random.nextInt(10) == 0
                ? maxLength - random.nextInt(4)
                : 1 + random.nextInt(Math.min(24, maxLength));
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            boolean segmentStart = i == 0 || s.charAt(i - 1) == '/';
            boolean last = i == length - 1;
            if (segmentStart) {
                s.append(pick(random, ALPHANUMERIC));
            } else if (manySegments && !last && random.nextInt(5) == 0) {
                s.append('/');
            } else {
                s.append(pick(random, INNER));
            }
        }
        return s.toString();
    }

    private static char pick(Random random, String from) {
        return from.charAt(random.nextInt(from.length()));
    }
}
