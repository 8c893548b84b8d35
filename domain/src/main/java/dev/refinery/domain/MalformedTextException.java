package dev.refinery.domain;

/**
 * Text that does not parse as the value it claims to be. Carries the offending input, the
 * zero-based position of the first bad character (or -1 when the whole text is wrong) and a
 * reason a person can act on.
 */
public final class MalformedTextException extends IllegalArgumentException {
    private final String what;
    private final String input;
    private final int position;
    private final String reason;

    public MalformedTextException(String what, String input, int position, String reason) {
        super(message(what, input, position, reason));
        this.what = what;
        this.input = input;
        this.position = position;
        this.reason = reason;
    }

    private static String message(String what, String input, int position, String reason) {
        String shown = input == null ? "null" : '"' + abbreviate(input) + '"';
        return position >= 0
                ? "invalid " + what + " " + shown + " at character " + position + ": " + reason
                : "invalid " + what + " " + shown + ": " + reason;
    }

    private static String abbreviate(String s) {
        if (s.length() <= 80) return s;
        int end = Character.isHighSurrogate(s.charAt(76)) ? 76 : 77;
        return s.substring(0, end) + "...";
    }

    /**
     * The character at {@code index} as a reason should show it: itself when it is visible, else as
     * Java-style escapes of its UTF-16 units. A surrogate pair stays whole, so the reason is always
     * well-formed text: half a pair cannot be encoded in UTF-8 (in a JSON error response, say).
     */
    static String shown(String text, int index) {
        int codePoint = text.codePointAt(index);
        if (isVisible(codePoint)) return Character.toString(codePoint);
        StringBuilder escaped = new StringBuilder();
        for (char c : Character.toChars(codePoint)) escaped.append(String.format("\\u%04x", (int) c));
        return escaped.toString();
    }

    private static boolean isVisible(int codePoint) {
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) return false;
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED -> false;
            default -> true;
        };
    }

    public String what() { return what; }
    public String input() { return input; }
    public int position() { return position; }
    public String reason() { return reason; }
}
