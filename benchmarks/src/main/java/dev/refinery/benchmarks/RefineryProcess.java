package dev.refinery.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code refinery serve} in a JVM of its own (so that the load client and the server share no heap,
 * and the server can be killed), started from this JVM's classpath against a {@link BenchDatabase}
 * as its application role. Its log goes to a file; it is ready when it logs where it listens and
 * answers {@code /observe/health}.
 */
final class RefineryProcess implements AutoCloseable {
    /** Where it listens, how long it took, and the rest of the line (whole: up to its end). */
    private static final Pattern READY = Pattern.compile("Refinery ready on http://([^:]+):(\\d+) in (\\d+) ms([^\\n]*)\\n");
    /** The connection pool's size, in the rest of the ready line: what the server took from its settings. */
    private static final Pattern POOL = Pattern.compile(", pool (\\d+)[ ;]");

    private final Process process;
    private final Path log;
    private final String host;
    private final int port;
    private final int temporalPort;
    private final long readyMillis;
    private final long inJvmMillis;
    private final int poolSize;

    private RefineryProcess(Process process, Path log, String host, int port, int temporalPort, long readyMillis,
                            long inJvmMillis, int poolSize) {
        this.process = process;
        this.log = log;
        this.host = host;
        this.port = port;
        this.temporalPort = temporalPort;
        this.readyMillis = readyMillis;
        this.inJvmMillis = inJvmMillis;
        this.poolSize = poolSize;
    }

    /** What to start: the database, the auth mode, extra settings as environment variables and JVM options. */
    record Config(BenchDatabase db, String authMode, Map<String, String> environment, List<String> jvmOptions) {
        static Config of(BenchDatabase db) {
            return new Config(db, "none", Map.of(), List.of());
        }

        Config withAuth(String mode) {
            return new Config(db, mode, environment, jvmOptions);
        }

        Config withEnvironment(String key, String value) {
            Map<String, String> env = new LinkedHashMap<>(environment);
            env.put(key, value);
            return new Config(db, authMode, env, jvmOptions);
        }

        Config withJvmOptions(List<String> options) {
            return new Config(db, authMode, environment, options);
        }
    }

    static RefineryProcess start(Config config) {
        return start(config, 0);
    }

    /** @param port 0 for a free one */
    static RefineryProcess start(Config config, int port) {
        Path log = logFile();
        List<String> command = javaCommand(config.jvmOptions());
        command.addAll(List.of("dev.refinery.bootstrap.Main", "serve", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--auth", config.authMode()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("REFINERY_"));
        env.put("REFINERY_DB_URL", config.db().url());
        env.put("REFINERY_DB_USER", config.db().appRole());
        env.put("REFINERY_DB_PASSWORD", config.db().appPassword());
        // the embedded Temporal server's default port is fixed (7233): another server on this machine may hold it
        env.put("REFINERY_TEMPORAL_PORT", Integer.toString(freePort()));
        env.putAll(config.environment());
        int temporalPort = Integer.parseInt(env.get("REFINERY_TEMPORAL_PORT"));
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the server: " + e.getMessage(), e);
        }
        try {
            Matcher ready = waitForReady(process, log, Duration.ofSeconds(60));
            String host = ready.group(1);
            int actualPort = Integer.parseInt(ready.group(2));
            waitHealthy(host, actualPort, Duration.ofSeconds(30));
            long readyMillis = (System.nanoTime() - started) / 1_000_000;
            return new RefineryProcess(process, log, host, actualPort, temporalPort, readyMillis,
                    Long.parseLong(ready.group(3)), poolSize(ready.group(4)));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static int poolSize(String readyLine) {
        Matcher m = POOL.matcher(readyLine);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static int freePort() {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** {@code java} of this JVM with the flags {@code ./refinery} gives, then this JVM's classpath. */
    static List<String> javaCommand(List<String> jvmOptions) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) command.add("--sun-misc-unsafe-memory-access=allow");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return command;
    }

    private static Path logFile() {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "refinery-benchmarks");
            Files.createDirectories(dir);
            return Files.createTempFile(dir, "server-", ".log");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a log file: " + e.getMessage(), e);
        }
    }

    private static Matcher waitForReady(Process process, Path log, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = read(log);
            Matcher m = READY.matcher(text);
            if (m.find()) return m;
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + " before it was ready:\n"
                        + tail(text));
            }
            PostgresServer.sleep(20);
        }
        throw new IllegalStateException("the server was not ready in " + timeout + ":\n" + tail(read(log)));
    }

    static void waitHealthy(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (HttpConnection c = new HttpConnection(host, port, 2_000)) {
                if (c.get("/observe/health").status() == 200) return;
            } catch (IOException e) {
                // not yet
            }
            PostgresServer.sleep(50);
        }
        throw new IllegalStateException("the server at " + host + ":" + port + " was not healthy in " + timeout);
    }

    private static String read(Path log) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** The embedded Temporal server's frontend, {@code 127.0.0.1:PORT}: where outside workers and clients connect. */
    String temporalTarget() {
        return "127.0.0.1:" + temporalPort;
    }

    /** The server's connection pool size, as its ready line says; -1 if it does not say. */
    int poolSize() {
        return poolSize;
    }

    /** The server JVM's own options (-X…, -D…), from its /proc command line: what a run's configuration really was. */
    List<String> jvmOptions() {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return java.util.Arrays.stream(cmdline.split("\0")).takeWhile(a -> !a.equals("-cp"))
                    .filter(a -> a.startsWith("-X") || a.startsWith("-D")).toList();
        } catch (IOException e) {
            return List.of("(unknown: " + e.getMessage() + ")");
        }
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    String logText() {
        return read(log);
    }

    /** From launching the JVM to a healthy answer. */
    long readyMillis() {
        return readyMillis;
    }

    /** What the server itself logged: from its start inside the JVM to listening. */
    long inJvmMillis() {
        return inJvmMillis;
    }

    HttpConnection connect(int timeoutMillis) {
        return new HttpConnection(host, port, timeoutMillis);
    }

    /** Resident memory of the server's JVM, in KiB (VmRSS). */
    long residentKib() {
        return residentKib(process.pid());
    }

    static long residentKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook runs, connections are cut mid-flight. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    private void waitFor(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended in 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        waitFor(Duration.ofSeconds(20));
        if (process.isAlive()) kill();
    }
}
