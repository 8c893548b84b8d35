package dev.refinery.bootstrap;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * `refinery serve` in a JVM of its own (this test's classpath), so that a test can kill it with
 * SIGKILL and start it again on the same data folder and ports.
 */
final class ChildRefinery implements AutoCloseable {
    final Path dataDir;
    final int httpPort;
    final int temporalPort;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    ChildRefinery(Path dataDir, Map<String, String> environment) throws IOException {
        this.dataDir = dataDir;
        this.httpPort = freePort();
        this.temporalPort = freePort();
        this.environment = environment;
        this.log = dataDir.resolve("serve.log");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    String temporalTarget() {
        return "127.0.0.1:" + temporalPort;
    }

    Http http() {
        return new Http(url(), Optional.empty());
    }

    ChildRefinery start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                "dev.refinery.bootstrap.Main", "serve",
                "--data-dir", dataDir.toString(), "--port", Integer.toString(httpPort)));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("REFINERY_TEMPORAL_PORT", Integer.toString(temporalPort));
        builder.environment().remove("REFINERY_DB_URL");
        process = builder.start();
        awaitReady(Duration.ofSeconds(90));
        return this;
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("refinery serve exited: " + tail());
            try {
                if (http().get("/observe/health").status() == 200) return;
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("refinery serve was not ready in " + timeout + ": " + tail());
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Everything the server has printed so far. */
    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits for {@code refinery serve} to exit by itself; its exit code, or empty if it still runs. */
    Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                ? Optional.of(process.exitValue()) : Optional.empty();
    }

    String tailQuietly() {
        try {
            return tail();
        } catch (IOException e) {
            return e.toString();
        }
    }

    String tail() throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
