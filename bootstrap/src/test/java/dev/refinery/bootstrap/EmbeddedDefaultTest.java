package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default, for real: a PostgreSQL in a data folder, migrations applied, the HTTP API
 * on loopback. The README's walkthrough script runs against it, and a restart keeps every vibe.
 */
class EmbeddedDefaultTest {

    static Settings settings(Path dataDir, Map<String, String> more) {
        Map<String, String> o = new java.util.HashMap<>(Map.of("refinery.data-dir", dataDir.toString(),
                "refinery.http.port", "0", "refinery.temporal.port", "0"));
        o.putAll(more);
        return Settings.load(Optional.empty(), Map.of(), o);
    }

    @Test
    void theReadmeWalkthroughPassesAgainstTheEmbeddedDefault(@TempDir Path dataDir) throws Exception {
        try (RefineryServer server = RefineryServer.start(settings(dataDir, Map.of()))) {
            String url = "http://127.0.0.1:" + server.port();

            ProcessBuilder script = new ProcessBuilder("bash", walkthroughScript().toString())
                    .redirectErrorStream(true)
                    .directory(repositoryRoot().toFile());
            script.environment().put("REFINERY_URL", url);
            script.environment().remove("REFINERY_TOKEN");
            Process walkthrough = script.start();
            walkthrough.getOutputStream().close();
            String output = run(walkthrough);

            assertTrue(output.contains("walkthrough: all steps passed"), output);
            assertEquals(0, walkthrough.exitValue(), output);
        }
    }

    private static String run(Process p) throws IOException, InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the walkthrough did not finish in 120 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aRestartKeepsEveryVibe(@TempDir Path dataDir) {
        String ref;
        try (RefineryServer server = RefineryServer.start(settings(dataDir, Map.of()))) {
            Http http = new Http("http://127.0.0.1:" + server.port(), Optional.empty());
            Http.Answer written = http.post("/v1/refinements",
                    "{'branch':'main','vibes':[{'id':'kept/x','kind':'RECORD','schema':{'type':'integer'},'solution':42}]}");
            assertEquals(201, written.status(), written.text());
            ref = written.body().at("/vibes/0/ref").asText();
        }

        try (RefineryServer again = RefineryServer.start(settings(dataDir, Map.of()))) {
            Http http = new Http("http://127.0.0.1:" + again.port(), Optional.empty());
            Http.Answer read = http.get("/v1/vibes/kept/x?branch=main");
            Http.Answer metrics = http.get("/observe/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.text().contains("refinery_db_pool_total"), "pool use is on /observe/metrics");
            // both pools, each with its connections open: the read above and the startup's writes
            for (String pool : java.util.List.of("writes", "reads")) {
                assertTrue(metrics.text().matches("(?s).*refinery_db_pool_total\\{[^}]*pool=\"" + pool + "\"[^}]*} [1-9].*"),
                        () -> "no open connection of the " + pool + " pool on /observe/metrics:\n" + metrics.text());
            }
            assertTrue(metrics.text().contains("refinery_http_requests"), "request latencies are on /observe/metrics");
            assertEquals(200, read.status(), read.text());
            assertEquals(ref, read.body().get("ref").asText());
            assertEquals(42, read.body().get("solution").asInt());
        }
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/walkthrough.sh"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        return dir;
    }

    static Path walkthroughScript() {
        return repositoryRoot().resolve("docs/walkthrough.sh");
    }
}
