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
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    public String what() { return what; }
    public String input() { return input; }
    public int position() { return position; }
    public String reason() { return reason; }
}
