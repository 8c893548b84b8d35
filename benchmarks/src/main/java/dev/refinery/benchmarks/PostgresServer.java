package dev.refinery.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The PostgreSQL a run measures against: a private cluster made for the run ({@code pg_createcluster},
 * trust authentication on loopback, dropped at the end), or an existing server named by an admin JDBC
 * URL (e.g. the shared one on 5432), where a run only creates and drops its own database and role.
 * Only a private cluster may be restarted: never restart a server others use.
 */
abstract sealed class PostgresServer implements AutoCloseable {
    @Override
    public abstract void close();

    abstract String host();

    abstract int port();

    abstract String adminUser();

    abstract String description();

    /** A JDBC URL for {@code database} on this server (no credentials in it). */
    String url(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(url(database), adminUser(), "");
    }

    /** The postmaster's pid, for a private cluster (whose every process is this run's); empty otherwise. */
    java.util.OptionalLong postmasterPid() {
        return java.util.OptionalLong.empty();
    }

    void restart() {
        throw new UnsupportedOperationException("only a private cluster may be restarted, not " + description());
    }

    void stop() {
        throw new UnsupportedOperationException("only a private cluster may be stopped, not " + description());
    }

    void start() {
        throw new UnsupportedOperationException("only a private cluster may be started, not " + description());
    }

    /** The shared server (or any named by {@code adminUrl}): databases and roles are made and dropped, nothing else. */
    static PostgresServer existing(String adminUrl) {
        return new Existing(adminUrl);
    }

    /**
     * A new cluster of the newest installed PostgreSQL on a free port, started, with trust authentication
     * on loopback and room for {@code maxConnections}; dropped by {@link #close()} or when the JVM exits.
     */
    static PostgresServer privateCluster(int maxConnections) {
        return PrivateCluster.create(maxConnections);
    }

    static final class Existing extends PostgresServer {
        private final String host;
        private final int port;
        private final String user;

        Existing(String adminUrl) {
            var m = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/[^?]*(?:\\?(.*))?")
                    .matcher(adminUrl);
            if (!m.matches()) throw new IllegalArgumentException("not a single-host jdbc:postgresql:// URL: " + adminUrl);
            host = m.group(1);
            port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
            String u = "postgres";
            if (m.group(3) != null) {
                for (String pair : m.group(3).split("&")) if (pair.startsWith("user=")) u = pair.substring(5);
            }
            user = u;
        }

        @Override String host() { return host; }
        @Override int port() { return port; }
        @Override String adminUser() { return user; }
        @Override String description() { return "existing PostgreSQL at " + host + ":" + port; }
        @Override public void close() {}
    }

    static final class PrivateCluster extends PostgresServer {
        private final String version;
        private final String name;
        private final int port;
        private final Thread cleanup;
        private boolean dropped;

        private PrivateCluster(String version, String name, int port) {
            this.version = version;
            this.name = name;
            this.port = port;
            this.cleanup = new Thread(this::drop, "drop-" + name);
            Runtime.getRuntime().addShutdownHook(cleanup);
        }

        static PrivateCluster create(int maxConnections) {
            String version = newestVersion();
            int port = freePort();
            String name = "refinery_bench_" + port;
            PrivateCluster cluster = new PrivateCluster(version, name, port);
            try {
                Commands.run(Duration.ofMinutes(2), "pg_createcluster", version, name, "--port", Integer.toString(port),
                        "--start", "-o", "max_connections=" + maxConnections,
                        "--", "--auth-host=trust", "--auth-local=trust");
                cluster.waitReady(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }

        private static String newestVersion() {
            try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
                return dirs.map(p -> p.getFileName().toString()).filter(s -> s.matches("\\d+"))
                        .max(Comparator.comparingInt(Integer::parseInt))
                        .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql"));
            } catch (IOException e) {
                throw new IllegalStateException("no PostgreSQL under /usr/lib/postgresql (pg_createcluster is needed)", e);
            }
        }

        /** A port free on loopback and without a PostgreSQL socket file of that number. */
        private static int freePort() {
            Random random = new Random();
            for (int i = 0; i < 100; i++) {
                int port = 5440 + random.nextInt(500);
                if (Files.exists(Path.of("/var/run/postgresql/.s.PGSQL." + port))) continue;
                try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException busy) {
                    // next
                }
            }
            throw new IllegalStateException("no free port for a private PostgreSQL cluster");
        }

        void waitReady(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            SQLException last = null;
            while (System.nanoTime() < deadline) {
                try (Connection c = admin("postgres")) {
                    return;
                } catch (SQLException e) {
                    last = e;
                    sleep(100);
                }
            }
            throw new IllegalStateException(description() + " did not accept connections in " + timeout, last);
        }

        /** {@code pg_ctlcluster VERSION NAME restart} (fast shutdown: open sessions are ended). */
        @Override
        void restart() {
            Commands.run(Duration.ofMinutes(1), "pg_ctlcluster", version, name, "restart", "-m", "fast");
        }

        /** {@code pg_ctlcluster VERSION NAME stop} (fast). */
        @Override
        void stop() {
            Commands.run(Duration.ofMinutes(1), "pg_ctlcluster", version, name, "stop", "-m", "fast");
        }

        @Override
        void start() {
            Commands.run(Duration.ofMinutes(1), "pg_ctlcluster", version, name, "start");
        }

        @Override String host() { return "127.0.0.1"; }
        @Override int port() { return port; }
        @Override String adminUser() { return "postgres"; }
        @Override
        java.util.OptionalLong postmasterPid() {
            try {
                String first = Files.readAllLines(Path.of("/var/lib/postgresql", version, name, "postmaster.pid")).getFirst();
                return java.util.OptionalLong.of(Long.parseLong(first.trim()));
            } catch (IOException | RuntimeException e) {
                return java.util.OptionalLong.empty();
            }
        }

        @Override String description() { return "private cluster " + version + "/" + name + " on 127.0.0.1:" + port; }

        private synchronized void drop() {
            if (dropped) return;
            dropped = true;
            try {
                Commands.run(Duration.ofMinutes(1), "pg_dropcluster", "--stop", version, name);
            } catch (RuntimeException e) {
                System.err.println("could not drop " + description() + ": " + e.getMessage()
                        + " (drop it with: pg_dropcluster --stop " + version + " " + name + ")");
            }
        }

        @Override
        public void close() {
            drop();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // the JVM is already exiting: the hook runs drop(), which is idempotent
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** External commands with a time bound; output goes to the caller's stderr only when they fail. */
    static final class Commands {
        static String run(Duration timeout, String... command) {
            List<String> cmd = new ArrayList<>(List.of(command));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                byte[] out;
                try (var in = p.getInputStream()) {
                    // bounded by the timeout below: a command that never ends is destroyed, ending the stream
                    Thread killer = Thread.ofVirtual().start(() -> {
                        try {
                            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) p.destroyForcibly();
                        } catch (InterruptedException e) {
                            p.destroyForcibly();
                        }
                    });
                    out = in.readAllBytes();
                    killer.join();
                }
                int code = p.waitFor();
                String text = new String(out);
                if (code != 0) throw new IllegalStateException(String.join(" ", cmd) + " exited " + code + ":\n" + text);
                return text;
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
            }
        }
    }
}
