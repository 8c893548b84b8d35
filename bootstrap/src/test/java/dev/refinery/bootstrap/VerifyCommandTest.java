package dev.refinery.bootstrap;

import dev.refinery.adapters.postgres.PostgresLedgerConfig;
import dev.refinery.adapters.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Verifiable history": serve, write, the sequencer signs, {@code refinery verify} passes, tampering fails it. */
class VerifyCommandTest {

    private record Run(int exit, String out) {}

    private static synchronized Run verify(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "verify";
            System.arraycopy(args, 0, all, 1, args.length);
            int exit = Main.commandLine().execute(all);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void aServedLedgerVerifiesUntilItsOwnerRewritesASolution(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            PostgresLedgerConfig app = db.application();
            Path config = dir.resolve("service.yaml");
            Files.writeString(config, "refinery:\n  data-dir: \"" + dir.resolve("data") + "\"\n  db:\n    url: \"" + app.url()
                    + "\"\n    user: " + app.username() + "\n" + app.password().map(p -> "    password: \"" + p + "\"\n").orElse("")
                    + "  log:\n    interval: PT0.1S\n");
            Settings settings = Settings.load(Optional.of(config), Map.of(), Map.of("refinery.http.port", "0",
                    "refinery.temporal.port", "0"));
            String key;
            try (RefineryServer server = RefineryServer.start(settings)) {
                Http http = new Http("http://127.0.0.1:" + server.port(), Optional.empty());
                for (int i = 0; i < 3; i++) {
                    Http.Answer written = http.post("/v1/refinements",
                            "{'branch':'main','vibes':[{'id':'v/" + i + "','kind':'RECORD','schema':{},'solution':" + i + "}]}");
                    assertEquals(201, written.status(), written.text());
                }
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                Http.Answer head = http.get("/v1/log/checkpoint");
                while (!(head.status() == 200 && head.text().split("\n")[1].equals("4")) && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                    head = http.get("/v1/log/checkpoint");
                }
                assertEquals(200, head.status(), head.text());
                assertEquals("4", head.text().split("\n")[1], "genesis and three refinements are signed: " + head.text());
                assertTrue(head.text().startsWith("refinery.local/log\n"), head.text());
                key = http.get("/v1/log/key").text().strip();
                assertEquals(3, Integer.parseInt(http.get("/v1/refinements/4").text()
                        .replaceAll("(?s).*\"logIndex\":(\\d+).*", "$1")));
            }
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("data").resolve(LogSigningKey.DEFAULT_FILE))));

            Run clean = verify("--config", config.toString());
            assertEquals(0, clean.exit(), clean.out());
            assertTrue(clean.out().contains("checked 4 vibe(s), 4 leaf(s)"), clean.out());
            assertEquals(0, verify("--config", config.toString(), "--key", key, "--since", "4").exit());

            db.execute("SET session_replication_role = replica",
                    "UPDATE vibes SET solution = '7' WHERE ref = 'main@v/1?1'");
            Run tampered = verify("--config", config.toString(), "--key", key);
            assertEquals(1, tampered.exit(), tampered.out());
            assertTrue(tampered.out().contains("MISMATCH main@v/1?1: its content does not give its digest"), tampered.out());
        }
    }
}
