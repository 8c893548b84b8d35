package dev.refinery.domain;

/** The grammar ids and branch names share: segments of {@code [A-Za-z0-9][A-Za-z0-9._-]*} joined by '/'. */
final class PathSyntax {
    private PathSyntax() {}

    static void check(String what, String text, int maxLength) {
        if (text == null) throw new MalformedTextException(what, null, -1, "must not be null");
        if (text.isEmpty()) throw new MalformedTextException(what, text, -1, "must not be empty");
        if (text.length() > maxLength) {
            throw new MalformedTextException(what, text, maxLength,
                    "is " + text.length() + " characters long, at most " + maxLength + " are allowed");
        }
        int segmentStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '/') {
                checkSegment(what, text, segmentStart, i);
                segmentStart = i + 1;
            }
        }
    }

    private static void checkSegment(String what, String text, int from, int to) {
        if (from == to) {
            String where = from == 0 ? "leading '/'" : (to == text.length() ? "trailing '/'" : "empty segment ('//')");
            throw new MalformedTextException(what, text, Math.min(from, text.length() - 1), where + " is not allowed");
        }
        String segment = text.substring(from, to);
        if (segment.equals(".") || segment.equals("..")) {
            throw new MalformedTextException(what, text, from, "segment '" + segment + "' is not allowed");
        }
        if (!isAlphanumeric(text.charAt(from))) {
            throw new MalformedTextException(what, text, from,
                    "a segment must start with a letter or digit, not '" + MalformedTextException.shown(text, from) + "'");
        }
        for (int i = from + 1; i < to; i++) {
            char c = text.charAt(i);
            if (!isAlphanumeric(c) && c != '.' && c != '_' && c != '-') {
                throw new MalformedTextException(what, text, i,
                        "character '" + MalformedTextException.shown(text, i)
                                + "' is not allowed (letters, digits, '.', '_', '-' and '/' are)");
            }
        }
    }

    static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
