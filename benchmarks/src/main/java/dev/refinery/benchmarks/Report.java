package dev.refinery.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark prints: its name, the machine and its load at the start, its configuration, tables of
 * figures, and each ratio to its baseline with the target. Plain text, aligned, for a reader to compare.
 */
final class Report {
    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    static Report stdout() {
        return new Report(System.out);
    }

    void header(String name, String what) {
        out.println();
        out.println("=== " + name + " — " + what);
        out.println("when:    " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)));
        out.println("machine: " + machine());
        out.println("load:    " + loadAverage() + " (1, 5, 15 min; figures taken at a load above ~1 on 2 cores are noisy)");
    }

    void configuration(Options options, Map<String, String> more) {
        StringBuilder s = new StringBuilder("config: ");
        options.effective().forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
        more.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
        out.println(s.toString().strip());
        options.checkAllUsed();
    }

    /** The pass/fail checks of a reliability run, printed here. */
    Checks checks() {
        return new Checks(out);
    }

    void line(String text) {
        out.println(text);
    }

    void line(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
    }

    /** A table: the first row is the heading; columns are padded to their widest cell. */
    void table(List<List<String>> rows) {
        if (rows.isEmpty()) return;
        int columns = rows.getFirst().size();
        int[] width = new int[columns];
        for (List<String> r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r.get(i).length());
        for (int ri = 0; ri < rows.size(); ri++) {
            StringBuilder s = new StringBuilder("  ");
            for (int i = 0; i < columns; i++) {
                String cell = rows.get(ri).get(i);
                s.append(i == 0 ? pad(cell, width[i]) : padLeft(cell, width[i])).append(i < columns - 1 ? "  " : "");
            }
            out.println(s.toString().stripTrailing());
            if (ri == 0) {
                StringBuilder rule = new StringBuilder("  ");
                for (int i = 0; i < columns; i++) rule.append("-".repeat(width[i])).append(i < columns - 1 ? "  " : "");
                out.println(rule);
            }
        }
    }

    /** {@code ratio NAME = value (target ≥ t: met|MISSED)}; returns whether it was met. */
    boolean ratio(String name, double value, double atLeast) {
        boolean met = value >= atLeast;
        out.println(String.format(Locale.ROOT, "ratio %s = %.2f (target ≥ %s: %s)", name, value, trim(atLeast),
                met ? "met" : "MISSED"));
        return met;
    }

    void ratio(String name, double value) {
        out.println(String.format(Locale.ROOT, "ratio %s = %.2f", name, value));
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) return "-";
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis)
                : millis >= 10 ? String.format(Locale.ROOT, "%.1f", millis)
                : String.format(Locale.ROOT, "%.2f", millis);
    }

    static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The 1-minute load average, NaN where /proc is not there. */
    static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    static String machine() {
        long memKib = 0;
        String cpu = "";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) memKib = Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + (memKib / 1024 / 1024) + " GiB, Java "
                + Runtime.version().feature();
    }

    /** The pass/fail checks of a reliability run, ending in the {@code N passed, N failed} line. */
    static final class Checks {
        private final PrintStream out;
        private final List<String> failures = new ArrayList<>();
        private int passed;

        Checks(PrintStream out) {
            this.out = out;
        }

        boolean check(String name, boolean ok, String detail) {
            out.println((ok ? "  PASS  " : "  FAIL  ") + name + (detail.isEmpty() ? "" : " — " + detail));
            if (ok) passed++;
            else failures.add(name);
            return ok;
        }

        int failed() {
            return failures.size();
        }

        /** Prints the closing line; returns the process exit code (0 when all passed). */
        int finish() {
            out.println(passed + " passed, " + failures.size() + " failed");
            return failures.isEmpty() ? 0 : 1;
        }
    }
}
