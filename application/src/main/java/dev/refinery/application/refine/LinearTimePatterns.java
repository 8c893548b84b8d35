package dev.refinery.application.refine;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The regular expressions of JSON Schema ({@code pattern}, {@code patternProperties}, {@code propertyNames} patterns,
 * {@code format: regex}) on re2j, an automaton that never backtracks: a match takes time linear in the input,
 * whatever the pattern. java.util.regex backtracks, so {@code ^(.*a){25}$} against a few dozen characters would
 * run for ages while holding a transaction.
 *
 * <p>Linear still has a factor: the size of the compiled program. A pattern is refused when its program would
 * exceed {@value #MAX_PROGRAM} instructions (estimated from the text before compiling, since counted repetitions
 * nested in one another multiply), and one match is stopped, with a {@link PatternRefusedException}, once it has
 * read more input than {@value #MAX_WORK} divided by the program size: a bound of its work that does not depend on
 * the machine or its load, so the same schema and value always get the same answer.
 *
 * <p>ECMA-262 syntax that re2j spells otherwise is translated ({@code \}{@code uXXXX} and {@code \}{@code u{X…}}).
 * What only a backtracking engine can do is refused: look-ahead and look-behind ({@code (?=}, {@code (?!},
 * {@code (?<=}, {@code (?<!}), back-references ({@code \1}, {@code \k<name>}), and re2j's other refusals
 * ({@code \c}, {@code [^]}). {@code \s}, {@code \w}, {@code \d} and {@code \b} are ASCII; {@code .} matches
 * anything but {@code \n}.
 */
final class LinearTimePatterns implements RegularExpressionFactory {
    /** The most instructions one compiled pattern may have (a few kB of memory, the factor of each match). */
    static final int MAX_PROGRAM = 5_000;
    /** Instructions times characters read that one match may cost: about a second on a slow core. */
    static final long MAX_WORK = 50_000_000L;

    /** The most instructions one schema's patterns may compile to in all (a few MB), checked per thread. */
    static final long MAX_COMPILED = 200_000;
    /** What one compiled instruction holds in memory, about (for the caches' weights). */
    static final long BYTES_PER_INSTRUCTION = 40;

    static final LinearTimePatterns INSTANCE = new LinearTimePatterns();

    private static final ThreadLocal<long[]> COMPILED = ThreadLocal.withInitial(() -> new long[1]);

    /**
     * The instructions compiled on this thread since the last call, which starts the count again: a caller
     * brackets the use of one schema with it (a schema's patterns compile lazily, on this thread, when a
     * validation first reaches them).
     */
    static long takeCompiled() {
        long[] count = COMPILED.get();
        long n = count[0];
        count[0] = 0;
        return n;
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = compile(regex);
        long[] count = COMPILED.get();
        count[0] += pattern.programSize();
        if (count[0] > MAX_COMPILED) {
            throw new PatternRefusedException("the schema's patterns compile to more than " + MAX_COMPILED
                    + " instructions in all; use fewer or simpler patterns");
        }
        long maxReads = Math.max(1, MAX_WORK / pattern.programSize());
        return input -> pattern.matcher(new CountedInput(input, maxReads, regex)).find();
    }

    /**
     * The pattern compiled for re2j.
     *
     * @throws PatternRefusedException when re2j cannot run it, or its program would be too large
     */
    static Pattern compile(String ecmaPattern) {
        long estimate = estimatedProgram(ecmaPattern);
        if (estimate > MAX_PROGRAM) throw tooLarge(ecmaPattern, estimate);
        Pattern pattern;
        try {
            pattern = Pattern.compile(translated(ecmaPattern));
        } catch (PatternSyntaxException e) {
            throw new PatternRefusedException("the pattern " + quoted(ecmaPattern) + " cannot be run in linear time: "
                    + e.getDescription() + hint(ecmaPattern));
        }
        if (pattern.programSize() > MAX_PROGRAM) throw tooLarge(ecmaPattern, pattern.programSize());
        return pattern;
    }

    private static PatternRefusedException tooLarge(String pattern, long size) {
        return new PatternRefusedException("the pattern " + quoted(pattern) + " compiles to about " + size
                + " instructions, more than " + MAX_PROGRAM + " (counted repetitions multiply: x{100}{100} is 10000)");
    }

    private static String hint(String pattern) {
        if (pattern.contains("(?=") || pattern.contains("(?!") || pattern.contains("(?<=") || pattern.contains("(?<!")) {
            return " (look-ahead and look-behind need backtracking, which Refinery does not run)";
        }
        if (pattern.matches("(?s).*\\\\([1-9]|k<).*")) {
            return " (back-references need backtracking, which Refinery does not run)";
        }
        return "";
    }

    private static String quoted(String pattern) {
        return "'" + (pattern.length() > 80 ? pattern.substring(0, 80) + "…" : pattern) + "'";
    }

    /** ECMA-262's {@code \}{@code uXXXX} and {@code \}{@code u{X…}} as re2j's {@code \x{X…}}; all else as it is. */
    static String translated(String ecma) {
        StringBuilder out = new StringBuilder(ecma.length());
        for (int i = 0; i < ecma.length(); i++) {
            char c = ecma.charAt(i);
            if (c != '\\' || i + 1 >= ecma.length()) {
                out.append(c);
                continue;
            }
            char next = ecma.charAt(i + 1);
            if (next == 'u' && i + 5 < ecma.length() && isHex(ecma, i + 2, i + 6)) {
                out.append("\\x{").append(ecma, i + 2, i + 6).append('}');
                i += 5;
            } else if (next == 'u' && i + 2 < ecma.length() && ecma.charAt(i + 2) == '{') {
                out.append("\\x");
                i += 1;
            } else {
                out.append(c).append(next); // an escape pair, kept whole so that "\\u" stays a backslash and a 'u'
                i += 1;
            }
        }
        return out.toString();
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) return false;
        }
        return true;
    }

    /**
     * An estimate of the compiled program's size from the text alone: each atom counts one, a group the sum of its
     * alternatives, and a counted repetition {@code {n,m}} multiplies what it repeats by its larger bound. Close
     * enough to stop {@code (a{1000}){1000}} before re2j spends seconds expanding it into a million instructions.
     */
    static long estimatedProgram(String pattern) {
        final long cap = 1L << 40;
        Deque<long[]> groups = new ArrayDeque<>(); // each: {alternatives so far, current sequence, last atom}
        long[] frame = {0, 0, 0};
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            switch (c) {
                case '\\' -> {
                    frame[2] = 1;
                    frame[1] = Math.min(cap, frame[1] + 1);
                    i += 2;
                }
                case '[' -> {
                    i = afterClass(pattern, i);
                    frame[2] = 1;
                    frame[1] = Math.min(cap, frame[1] + 1);
                }
                case '(' -> {
                    groups.push(frame);
                    frame = new long[]{0, 0, 0};
                    i++;
                }
                case ')' -> {
                    long size = Math.min(cap, frame[0] + frame[1] + 1);
                    frame = groups.isEmpty() ? new long[]{0, 0, 0} : groups.pop();
                    frame[2] = size;
                    frame[1] = Math.min(cap, frame[1] + size);
                    i++;
                }
                case '|' -> {
                    frame[0] = Math.min(cap, frame[0] + frame[1]);
                    frame[1] = 0;
                    frame[2] = 0;
                    i++;
                }
                case '{' -> {
                    int close = pattern.indexOf('}', i);
                    long times = close < 0 ? -1 : repeatCount(pattern.substring(i + 1, close));
                    if (times < 0) {
                        frame[2] = 1;
                        frame[1] = Math.min(cap, frame[1] + 1);
                        i++;
                    } else {
                        long repeated = Math.min(cap, frame[2] * times);
                        frame[1] = Math.min(cap, frame[1] - frame[2] + repeated);
                        frame[2] = repeated;
                        i = close + 1;
                    }
                }
                case '*', '+', '?' -> {
                    frame[1] = Math.min(cap, frame[1] + 1);
                    i++;
                }
                default -> {
                    frame[2] = 1;
                    frame[1] = Math.min(cap, frame[1] + 1);
                    i++;
                }
            }
        }
        long total = frame[0] + frame[1];
        while (!groups.isEmpty()) {
            long[] outer = groups.pop();
            total = Math.min(cap, outer[0] + outer[1] + total);
        }
        return total;
    }

    /** The larger bound of a repetition's {@code n}, {@code n,} or {@code n,m}; -1 when it is not one. */
    private static long repeatCount(String body) {
        if (!body.matches("\\d{1,9}(,\\d{0,9})?")) return -1;
        String[] bounds = body.split(",", -1);
        long low = Long.parseLong(bounds[0]);
        if (bounds.length == 1) return Math.max(1, low);
        return bounds[1].isEmpty() ? low + 1 : Math.max(1, Math.max(low, Long.parseLong(bounds[1])));
    }

    /** The index after the character class that opens at {@code open}. */
    private static int afterClass(String pattern, int open) {
        int i = open + 1;
        if (i < pattern.length() && pattern.charAt(i) == '^') i++;
        if (i < pattern.length() && pattern.charAt(i) == ']') i++;
        while (i < pattern.length() && pattern.charAt(i) != ']') {
            i += pattern.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The input of one match, which stops it once it has read more characters than its share of the work. */
    private static final class CountedInput implements CharSequence {
        private final CharSequence text;
        private final long maxReads;
        private final String pattern;
        private long reads;

        CountedInput(CharSequence text, long maxReads, String pattern) {
            this.text = text;
            this.maxReads = maxReads;
            this.pattern = pattern;
        }

        @Override
        public char charAt(int index) {
            if (++reads > maxReads) {
                throw new PatternRefusedException("matching the pattern " + quoted(pattern) + " against a string of "
                        + text.length() + " characters would take more than " + MAX_WORK
                        + " steps; use a shorter string or a simpler pattern");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
