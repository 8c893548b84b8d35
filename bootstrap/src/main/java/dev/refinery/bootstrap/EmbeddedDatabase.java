package dev.refinery.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real PostgreSQL (zonky's binaries) whose data lives in a folder kept across restarts: the
 * embedded default. It listens on a free loopback port chosen at each start, writes durably (fsync,
 * synchronous commits, full page writes), and lets nobody in without a password: its superuser's
 * is generated once and kept in the data folder, readable by its owner only.
 *
 * <p>A command run beside a serving Refinery ({@link #attachOrStart}) connects to the PostgreSQL
 * that server runs, found through PostgreSQL's own {@code postmaster.pid}, instead of starting a
 * second one on the same folder.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String SUPERUSER = "postgres";
    /** In the data folder, mode 0600: the superuser's password, and the service role's. */
    static final String SUPERUSER_PASSWORD_FILE = "postgres-superuser.password";
    static final String SERVICE_PASSWORD_FILE = "postgres-service.password";
    /** What zonky turns off for speed (it starts postgres with -F and synchronous_commit=off): on. */
    static final Map<String, String> DURABILITY = Map.of("fsync", "on", "synchronous_commit", "on",
            "full_page_writes", "on");
    /** Every start's server settings: zonky's defaults (timezone, max_connections) and durability. */
    private static final Map<String, String> SERVER_CONFIG;
    static {
        Map<String, String> c = new java.util.LinkedHashMap<>();
        c.put("listen_addresses", "127.0.0.1");
        c.put("timezone", "UTC");
        c.put("max_connections", "300");
        c.putAll(DURABILITY);
        SERVER_CONFIG = java.util.Collections.unmodifiableMap(c);
    }
    private static final List<String> HBA = List.of(
            "# Written by Refinery: every connection proves a password (SCRAM); they are in the data folder, mode 0600.",
            "local all all scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256");

    /** How a serving Refinery restarts a PostgreSQL that died under it. */
    record Supervision(int attempts, Duration firstDelay, Consumer<String> onGiveUp) {
        static Supervision giveUpWith(Consumer<String> onGiveUp) {
            return new Supervision(5, Duration.ofMillis(500), onGiveUp);
        }
    }

    /** The folders whose PostgreSQL this JVM runs (zonky's lock must not be probed from the JVM holding it). */
    private static final java.util.Set<Path> STARTED_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path refineryDataDir;
    private final Path pgData;
    private final int port;
    private final String superuserPassword;
    /** Null when attached to the PostgreSQL another process runs. */
    private final EmbeddedPostgres postgres;
    /** Where zonky unpacked the binaries (learned from the running postmaster), for restarts. */
    private final Optional<Path> binDir;
    private volatile boolean running = true;
    private volatile boolean closing;
    private volatile Thread supervisor;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path refineryDataDir, int port, String superuserPassword) {
        this.postgres = postgres;
        this.refineryDataDir = refineryDataDir;
        this.pgData = refineryDataDir.resolve("postgres");
        this.port = port;
        this.superuserPassword = superuserPassword;
        this.binDir = postgres == null ? Optional.empty() : postmaster(pgData).flatMap(p -> p.info().command())
                .map(c -> Path.of(c).getParent());
    }

    /** Starts the PostgreSQL of {@code dataDir}; refused while another Refinery serves that folder. */
    public static EmbeddedDatabase start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        try {
            Path pgData = dir.resolve("postgres");
            Files.createDirectories(pgData);
            if (servedByAnother(pgData)) {
                throw new IllegalStateException("another Refinery serves the data folder " + dir
                        + "; stop it first, or give this one another --data-dir");
            }
            stopOrphan(pgData);
            String password = secret(dir.resolve(SUPERUSER_PASSWORD_FILE));
            boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
            int port = freePort();
            EmbeddedPostgres pg = launch(dir, port, password, fresh);
            EmbeddedDatabase db = new EmbeddedDatabase(pg, dir, port, password);
            STARTED_HERE.add(pgData);
            try {
                db.requirePasswords();
            } catch (IOException | RuntimeException e) {
                db.close();
                throw e;
            }
            LOG.info("embedded PostgreSQL started on 127.0.0.1:{} with its data in {}", port, pgData);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * The PostgreSQL a serving Refinery runs on {@code dataDir}, when one does (a command run beside
     * {@code refinery serve}); else one started as {@link #start} does, stopped again by {@link #close}.
     */
    public static EmbeddedDatabase attachOrStart(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        Path pgData = dir.resolve("postgres");
        if (!servedByAnother(pgData)) return start(dir);
        Optional<Integer> port = runningPort(pgData);
        if (port.isEmpty()) {
            throw new IllegalStateException("the Refinery serving " + dir + " has no PostgreSQL running right now "
                    + "(it is starting it, or starting it again): try again in a few seconds");
        }
        String password;
        try {
            password = Files.readString(dir.resolve(SUPERUSER_PASSWORD_FILE)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("a Refinery serves " + dir + " but its superuser password file cannot be read", e);
        }
        LOG.info("using the embedded PostgreSQL that the Refinery serving {} runs (127.0.0.1:{})", dir, port.get());
        return new EmbeddedDatabase(null, dir, port.get(), password);
    }

    private static EmbeddedPostgres launch(Path dir, int port, String password, boolean fresh) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))  // crash recovery may replay a lot of WAL
                .setConnectConfig("password", password);
        // -c after zonky's -F: the last setting of fsync wins
        SERVER_CONFIG.forEach(builder::setServerConfig);
        if (fresh) {
            // zonky runs "initdb -A trust"; a later --auth wins, and --pwfile gives the superuser its password
            builder.setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", dir.resolve(SUPERUSER_PASSWORD_FILE).toString());
        }
        return builder.start();
    }

    /**
     * A folder made before the superuser had a password trusts every local connection: give the
     * superuser its password (as a SCRAM verifier, never the password itself) and require it.
     */
    private void requirePasswords() throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        List<String> rules = Files.readAllLines(hba).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (rules.stream().noneMatch(l -> l.endsWith(" trust") || l.endsWith("\ttrust"))) return;
        LOG.warn("the embedded PostgreSQL in {} trusted every local connection: its superuser now needs the "
                + "password in {}", pgData, refineryDataDir.resolve(SUPERUSER_PASSWORD_FILE));
        try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute(alterPasswordSql(SUPERUSER, superuserPassword));
            Files.write(hba, HBA, StandardCharsets.UTF_8);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot give the embedded PostgreSQL's superuser a password: " + e.getMessage(), e);
        }
    }

    /** ALTER ROLE with a SCRAM-SHA-256 verifier computed here: the password itself never reaches the server. */
    static String alterPasswordSql(String role, String password) {
        if (!role.matches("[a-z_][a-z0-9_]{0,62}")) throw new IllegalArgumentException("not a role name: " + role);
        String verifier = dev.refinery.adapters.postgres.PostgresMigrations.scramVerifier(password);
        return "ALTER ROLE \"" + role + "\" PASSWORD '" + verifier + "'";
    }

    /** A connection as the superuser, to {@code database}. */
    Connection superuserConnection(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, SUPERUSER,
                superuserPassword);
    }

    /**
     * Reads the secret kept in {@code file}, first generating it (32 random bytes) in a file only its
     * owner may read. An existing file that others may read is narrowed to 0600.
     */
    static String secret(Path file) throws IOException {
        var ownerOnly = PosixFilePermissions.fromString("rw-------");
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
            Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else if (!Files.getPosixFilePermissions(file).equals(ownerOnly)) {
            LOG.warn("{} could be read by others: narrowed to mode 0600", file);
            Files.setPosixFilePermissions(file, ownerOnly);
        }
        String s = Files.readString(file).strip();
        if (s.isEmpty()) throw new IllegalStateException(file + " is empty");
        return s;
    }

    /** Whether another process holds zonky's lock on {@code pgData}: a Refinery serving it. */
    private static boolean servedByAnother(Path pgData) {
        // closing any descriptor of a locked file drops every lock this JVM holds on it: never probe our own
        if (STARTED_HERE.contains(pgData)) return true;
        Path lock = pgData.resolve("epg-lock");
        if (!Files.exists(lock)) return false;
        try (FileOutputStream out = new FileOutputStream(lock.toFile(), true)) {
            FileLock held = out.getChannel().tryLock();
            if (held == null) return true;
            held.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;  // held in this very JVM
        } catch (IOException e) {
            return false;
        }
    }

    /** The port of a live PostgreSQL on {@code pgData}, read from its postmaster.pid (line 4). */
    private static Optional<Integer> runningPort(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.getFirst().strip());
            if (lines.size() < 4 || ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) return Optional.empty();
            return Optional.of(Integer.parseInt(lines.get(3).strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<ProcessHandle> postmaster(Path pgData) {
        try {
            long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).getFirst().strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A Refinery that was killed (kill -9, a crash) leaves its PostgreSQL running, holding the data
     * folder: stop it, so that this start can take the folder over. Only a process whose command line
     * names this very folder is touched.
     */
    private static void stopOrphan(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
        } catch (RuntimeException e) {
            return;  // not ours to judge: PostgreSQL will refuse or take over a broken lock file itself
        }
        var orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(pgData.toString())).orElse(false));
        if (orphan.isEmpty()) return;
        LOG.warn("a PostgreSQL (pid {}) left by an earlier run still holds {}: stopping it", pid, pgData);
        orphan.get().destroy();  // SIGTERM: a smart shutdown, checkpointing what it has
        try {
            orphan.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            orphan.get().destroyForcibly();
            try {
                orphan.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                throw new IOException("the PostgreSQL left by an earlier run (pid " + pid + ") does not stop");
            }
        }
    }

    /**
     * Watches the PostgreSQL this process started: when it dies, {@link #running()} turns false and it
     * is started again on the same port (the pools reconnect by themselves), up to
     * {@code attempts} times with doubling delays; past that {@code onGiveUp} hears why.
     */
    void supervise(Supervision supervision) {
        if (postgres == null) throw new IllegalStateException("only the process that started PostgreSQL supervises it");
        supervisor = Thread.ofPlatform().daemon().name("embedded-postgres-supervisor").start(() -> watch(supervision));
    }

    private void watch(Supervision supervision) {
        while (!closing) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            if (closing || postmaster(pgData).isPresent()) continue;
            if (shuttingDown()) return;  // zonky's own shutdown hook stops it as the JVM exits
            running = false;
            LOG.error("the embedded PostgreSQL in {} died: starting it again on 127.0.0.1:{}", pgData, port);
            if (!restart(supervision)) {
                if (closing || shuttingDown()) return;
                String reason = "the embedded PostgreSQL in " + pgData + " died and did not start again in "
                        + supervision.attempts() + " attempts";
                LOG.error(reason);
                supervision.onGiveUp().accept(reason);
                return;
            }
            running = true;
            LOG.warn("the embedded PostgreSQL in {} runs again on 127.0.0.1:{}", pgData, port);
        }
    }

    private static boolean shuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /**
     * Starts PostgreSQL again with pg_ctl from the binaries it ran from, with the settings zonky gave it:
     * a failed start is reported at once (zonky would wait out its start-up timeout, and keep its lock).
     * zonky's instance stays as it is, holding the folder's lock; closing it stops whatever runs there.
     */
    private boolean restart(Supervision supervision) {
        if (binDir.isEmpty()) {
            LOG.error("cannot start the embedded PostgreSQL again: where its binaries are is unknown");
            return false;
        }
        Duration delay = supervision.firstDelay();
        for (int attempt = 1; attempt <= supervision.attempts() && !closing; attempt++) {
            try {
                Thread.sleep(delay);
                if (shuttingDown()) return false;
                // what the dead one's children still hold (shared memory) they drop as they notice
                List<String> command = new java.util.ArrayList<>();
                // as zonky does: in a user namespace of its own, pg_ctl and postgres do not run as root
                if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) command.addAll(List.of("unshare", "-U"));
                command.addAll(List.of(binDir.get().resolve("pg_ctl").toString(),
                        "-D", pgData.toString(), "-l", refineryDataDir.resolve("postgres.log").toString(),
                        "-o", serverOptions(port), "-w", "-t", "60", "start"));
                Process pgCtl = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!pgCtl.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) pgCtl.destroyForcibly();
                if (pgCtl.exitValue() == 0) return true;
                LOG.warn("starting the embedded PostgreSQL again (attempt {} of {}) failed: see {}", attempt,
                        supervision.attempts(), refineryDataDir.resolve("postgres.log"));
            } catch (InterruptedException e) {
                return false;
            } catch (IOException | RuntimeException e) {
                LOG.warn("starting the embedded PostgreSQL again (attempt {} of {}) failed: {}", attempt,
                        supervision.attempts(), e.getMessage());
            }
            delay = delay.multipliedBy(2);
        }
        return false;
    }

    /** The postgres options a restart passes through pg_ctl -o: zonky's, less its -F. */
    private static String serverOptions(int port) {
        StringBuilder o = new StringBuilder("-p " + port);
        SERVER_CONFIG.forEach((k, v) -> o.append(" -c ").append(k).append('=').append(v));
        return o.toString();
    }

    /** False while the PostgreSQL this process started is down (it died and is being started again). */
    public boolean running() {
        return running;
    }

    /** A JDBC URL for the {@code postgres} database (loopback only, password required). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return SUPERUSER;
    }

    String superuserPassword() {
        return superuserPassword;
    }

    /** The password of the service's role, generated once and kept beside the superuser's. */
    String servicePassword() {
        try {
            return secret(refineryDataDir.resolve(SERVICE_PASSWORD_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + refineryDataDir.resolve(SERVICE_PASSWORD_FILE), e);
        }
    }

    /** Whether this is the PostgreSQL of a serving Refinery, reached from a command beside it. */
    boolean attached() {
        return postgres == null;
    }

    public Path dataDir() {
        return pgData;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg == null) return;
        try {
            pg.close();
        } catch (IOException e) {
            LOG.warn("the embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closing = true;
        Thread s = supervisor;
        if (s != null) {
            s.interrupt();
            try {
                s.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(postgres);
        if (postgres != null) STARTED_HERE.remove(pgData);
    }
}
