package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded PostgreSQL keeps what it acknowledged: fsync, synchronous commits, full pages. */
class EmbeddedDurabilityTest {

    @Test
    void runsWithFsyncSynchronousCommitAndFullPageWrites(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.superuserPassword());
             Statement s = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    assertEquals("on", rs.getString(1), setting);
                }
            }
        }
    }

    @Test
    void everyAcknowledgedRefineSurvivesAKill9OfThePostgres(@TempDir Path dataDir) throws Exception {
        int clients = 8;
        ConcurrentLinkedQueue<String[]> acknowledged = new ConcurrentLinkedQueue<>();  // {id, ref}
        try (RefineryServer server = RefineryServer.start(EmbeddedDefaultTest.settings(dataDir, Map.of()))) {
            Http http = new Http("http://127.0.0.1:" + server.port(), Optional.empty());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int t = 0; t < clients; t++) {
                int client = t;
                pool.submit(() -> {
                    for (int i = 0; i < 100_000 && !stop.get(); i++) {
                        String id = "load/c" + client + "-" + i;
                        try {
                            Http.Answer a = http.post("/v1/refinements", "{'branch':'main','vibes':[{'id':'" + id
                                    + "','kind':'RECORD','schema':{'type':'integer'},'solution':" + i + "}]}");
                            if (a.status() != 201) return;
                            acknowledged.add(new String[]{id, a.body().at("/vibes/0/ref").asText()});
                            written.incrementAndGet();
                        } catch (RuntimeException e) {
                            return;
                        }
                    }
                });
            }
            for (int i = 0; i < 600 && written.get() < 300; i++) Thread.sleep(50);
            EmbeddedFaults.kill9(dataDir);
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertTrue(acknowledged.size() >= 300, "the load wrote " + acknowledged.size() + " refinements");

        try (RefineryServer again = RefineryServer.start(EmbeddedDefaultTest.settings(dataDir, Map.of()))) {
            Http http = new Http("http://127.0.0.1:" + again.port(), Optional.empty());
            List<String> lost = new ArrayList<>();
            for (String[] w : acknowledged) {
                Http.Answer read = http.get("/v1/vibes/" + w[0] + "?branch=main");
                if (read.status() != 200 || !w[1].equals(read.body().get("ref").asText())) lost.add(w[0]);
            }
            assertEquals(List.of(), lost, lost.size() + " of " + acknowledged.size() + " acknowledged refinements are gone");
        }
    }
}
