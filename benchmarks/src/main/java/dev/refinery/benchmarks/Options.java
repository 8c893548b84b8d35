package dev.refinery.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name=value} arguments with defaults; every name given must be one the benchmark reads. */
final class Options {
    private final Map<String, String> given = new LinkedHashMap<>();
    private final Map<String, String> used = new LinkedHashMap<>();

    Options(String... args) {
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("expected --name=value, got " + a);
            given.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
    }

    String text(String name, String fallback) {
        String v = given.getOrDefault(name, fallback);
        used.put(name, v);
        return v;
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(text(name, Integer.toString(fallback)));
    }

    long number(String name, long fallback) {
        return Long.parseLong(text(name, Long.toString(fallback)).replace("_", ""));
    }

    Duration seconds(String name, double fallback) {
        return Duration.ofMillis(Math.round(Double.parseDouble(text(name, Double.toString(fallback))) * 1000));
    }

    List<Integer> integers(String name, String fallback) {
        return Arrays.stream(text(name, fallback).split(",")).map(String::strip).map(Integer::parseInt).toList();
    }

    List<Long> numbers(String name, String fallback) {
        return Arrays.stream(text(name, fallback).split(",")).map(s -> s.strip().replace("_", "")).map(Long::parseLong).toList();
    }

    /** The PostgreSQL to run on: {@code --db-url=ADMIN_JDBC_URL} for an existing one, else a private cluster. */
    PostgresServer postgres(int maxConnections) {
        String url = text("db-url", "private");
        return url.equals("private") ? PostgresServer.privateCluster(maxConnections) : PostgresServer.existing(url);
    }

    /** Fails on a name no benchmark read (a typo would otherwise silently run the defaults). */
    void checkAllUsed() {
        for (String name : given.keySet()) {
            if (!used.containsKey(name)) throw new IllegalArgumentException("unknown option --" + name + " (known: "
                    + String.join(", ", used.keySet()) + ")");
        }
    }

    /** What the run was configured with, for the report. */
    Map<String, String> effective() {
        return used;
    }
}
