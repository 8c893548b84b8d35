package dev.refinery.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code clients} virtual threads, each on its own keep-alive connection, calling as
 * fast as answers come back until the time is up. Latencies of the answers {@link Call#ok} accepts are
 * kept; every status is counted, and so are transport failures and timeouts.
 */
final class Load {
    /** One request of one client; {@code seq} counts that client's requests from 0. */
    @FunctionalInterface
    interface Call {
        HttpConnection.Response call(HttpConnection connection, int client, long seq) throws IOException;
    }

    /** What a run measured. */
    record Result(int clients, Duration duration, Latencies ok, Map<Integer, Long> statuses, long failures,
                  long timeouts, List<String> sampleErrors) {
        double perSecond() {
            return ok.count() / (duration.toNanos() / 1e9);
        }

        long okCount() {
            return ok.count();
        }

        long notOk() {
            return statuses.entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(Map.Entry::getValue).sum()
                    + failures + timeouts;
        }

        String statusSummary() {
            StringBuilder s = new StringBuilder();
            statuses.forEach((k, v) -> s.append(k).append('×').append(v).append(' '));
            if (failures > 0) s.append("io-errors×").append(failures).append(' ');
            if (timeouts > 0) s.append("timeouts×").append(timeouts).append(' ');
            return s.toString().strip();
        }
    }

    private Load() {}

    static Result run(RefineryProcess server, int clients, Duration duration, int timeoutMillis, Call call) {
        return run(server.host(), server.port(), clients, duration, timeoutMillis, call);
    }

    static Result run(String host, int port, int clients, Duration duration, int timeoutMillis, Call call) {
        Latencies ok = new Latencies();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong failures = new AtomicLong();
        AtomicLong timeouts = new AtomicLong();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        inParallel(clients, "client-", client -> {
            try (HttpConnection c = new HttpConnection(host, port, timeoutMillis)) {
                for (long seq = 0; System.nanoTime() < end; seq++) {
                    long t0 = System.nanoTime();
                    try {
                        HttpConnection.Response r = call.call(c, client, seq);
                        long took = System.nanoTime() - t0;
                        statuses.computeIfAbsent(r.status(), k -> new AtomicLong()).incrementAndGet();
                        if (r.status() / 100 == 2) ok.add(took);
                        else if (errors.size() < 5) errors.add(r.status() + " " + abbreviate(r.text()));
                    } catch (HttpConnection.TimeoutException e) {
                        timeouts.incrementAndGet();
                    } catch (IOException e) {
                        failures.incrementAndGet();
                        if (errors.size() < 5) errors.add(e.toString());
                    }
                }
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Map<Integer, Long> counted = new TreeMap<>();
        statuses.forEach((k, v) -> counted.put(k, v.get()));
        return new Result(clients, took, ok, counted, failures.get(), timeouts.get(), List.copyOf(errors));
    }

    /** Runs {@code client} on {@code clients} virtual threads (named {@code prefix} + number) and waits for them all. */
    static void inParallel(int clients, String prefix, java.util.function.IntConsumer client) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int number = i;
            threads.add(Thread.ofVirtual().name(prefix + i).start(() -> client.accept(number)));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
