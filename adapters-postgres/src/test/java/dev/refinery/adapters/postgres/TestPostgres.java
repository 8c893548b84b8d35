package dev.refinery.adapters.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The PostgreSQL server a test JVM uses, chosen once in this order: {@code REFINERY_TEST_DB_URL} (an admin JDBC URL,
 * e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), else a Testcontainers PostgreSQL where
 * Docker answers, else an embedded PostgreSQL (zonky's binaries, the same ones {@code refinery serve} uses) started
 * for this JVM and stopped when it exits. The choice is printed once.
 */
public final class TestPostgres {
    public static final String URL_VARIABLE = "REFINERY_TEST_DB_URL";

    /** Where the server comes from. */
    public enum Source { VARIABLE, TESTCONTAINERS, EMBEDDED }

    private static Chosen chosen;

    private TestPostgres() {
    }

    /** What the selection decided: its source and the admin URL. */
    public record Chosen(Source source, String adminUrl, Runnable stop) {
    }

    /** The admin JDBC URL of this JVM's test server (started on first use). */
    public static synchronized String adminUrl() {
        return chosen().adminUrl();
    }

    public static synchronized Chosen chosen() {
        if (chosen == null) {
            chosen = choose(System.getenv(), Containers::available);
            System.out.println("test PostgreSQL: " + describe(chosen));
        }
        return chosen;
    }

    /** The selection itself, with the environment and Docker's presence given (so that it can be tested). */
    static Chosen choose(Map<String, String> env, BooleanSupplier dockerAvailable) {
        String url = env.get(URL_VARIABLE);
        if (url != null && !url.isBlank()) return new Chosen(Source.VARIABLE, url.strip(), () -> { });
        if (dockerAvailable.getAsBoolean()) {
            Optional<Chosen> container = Containers.start();
            if (container.isPresent()) return container.get();
        }
        return startEmbedded();
    }

    static String describe(Chosen c) {
        String where = c.adminUrl().replaceAll("password=[^&]*", "password=***");
        return switch (c.source()) {
            case VARIABLE -> URL_VARIABLE + " (" + where + ")";
            case TESTCONTAINERS -> "Testcontainers (" + where + ")";
            case EMBEDDED -> "embedded PostgreSQL (" + where + "; neither " + URL_VARIABLE + " nor Docker is there)";
        };
    }

    /**
     * A throwaway embedded cluster for this JVM: zonky's defaults (fsync off: test data need not survive a crash) with
     * room for the connections of the tests' pools.
     */
    static Chosen startEmbedded() {
        try {
            var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .start();
            Runnable stop = () -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    System.err.println("the tests' embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                }
            };
            return new Chosen(Source.EMBEDDED,
                    "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres", stop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL for the tests", e);
        }
    }

    /** Testcontainers, only where Docker answers (its classes stay unloaded otherwise). */
    private static final class Containers {
        static boolean available() {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        static Optional<Chosen> start() {
            try {
                var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
                container.start();
                return Optional.of(new Chosen(Source.TESTCONTAINERS, container.getJdbcUrl()
                        + (container.getJdbcUrl().contains("?") ? "&" : "?")
                        + "user=" + container.getUsername() + "&password=" + container.getPassword(), container::stop));
            } catch (RuntimeException | LinkageError e) {
                System.err.println("Testcontainers could not start PostgreSQL: " + e);
                return Optional.empty();
            }
        }
    }
}
