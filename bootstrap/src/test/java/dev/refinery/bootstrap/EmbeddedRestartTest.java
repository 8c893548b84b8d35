package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the embedded PostgreSQL dies under a serving Refinery, the server starts it again on the same
 * port (its pools reconnect), readiness is DOWN meanwhile; when it cannot, the server is told, and
 * {@code refinery serve} exits non-zero so that a supervisor can act.
 */
class EmbeddedRestartTest {

    @Test
    void aPostgresThatDiesIsStartedAgainAndReadinessIsDownMeanwhile(@TempDir Path dataDir) throws Exception {
        try (RefineryServer server = RefineryServer.start(EmbeddedDefaultTest.settings(dataDir, Map.of()))) {
            Http http = new Http("http://127.0.0.1:" + server.port(), Optional.empty());
            Http.Answer before = http.post("/v1/refinements",
                    "{'branch':'main','vibes':[{'id':'before','kind':'RECORD','schema':{},'solution':1}]}");
            assertEquals(201, before.status(), before.text());
            long firstPid = EmbeddedFaults.postmasterPid(dataDir);
            assertEquals(200, http.get("/observe/health").status());

            int port = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).strip());
            EmbeddedFaults.kill9(dataDir);

            // its port held for a while, the first attempts to start it again fail: DOWN lasts long enough to be seen
            try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                awaitHealth(http, status -> status == 503, "readiness goes DOWN");
            }
            awaitHealth(http, status -> status == 200, "readiness comes back UP");
            assertTrue(EmbeddedFaults.postmasterPid(dataDir) != firstPid, "a new postmaster runs");
            Http.Answer after = http.post("/v1/refinements",
                    "{'branch':'main','vibes':[{'id':'after','kind':'RECORD','schema':{},'solution':2}]}");
            assertEquals(201, after.status(), after.text());
            Http.Answer read = http.get("/v1/vibes/before?branch=main");
            assertEquals(200, read.status(), read.text());
            assertEquals(before.body().at("/vibes/0/ref").asText(), read.body().get("ref").asText());
        }
    }

    @Test
    void serveExitsNonZeroWhenItsPostgresCannotBeStartedAgain(@TempDir Path dataDir) throws Exception {
        try (ChildRefinery serve = new ChildRefinery(dataDir, Map.of()).start()) {
            int port = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).strip());
            EmbeddedFaults.kill9(dataDir);
            // something else takes the port: PostgreSQL cannot listen there again
            try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                awaitHealth(serve.http(), status -> status == 503, "readiness goes DOWN");
                Optional<Integer> exit = serve.awaitExit(Duration.ofSeconds(180));
                assertEquals(Optional.of(1), exit, serve::tailQuietly);
                assertTrue(serve.tail().contains("did not start again in 5 attempts"), serve::tailQuietly);
            }
        }
    }

    private static void awaitHealth(Http http, IntPredicate wanted, String what) throws InterruptedException {
        int last = -1;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                last = http.get("/observe/health").status();
            } catch (RuntimeException e) {
                last = -1;
            }
            if (wanted.test(last)) return;
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": /observe/health still answers " + last);
    }
}
