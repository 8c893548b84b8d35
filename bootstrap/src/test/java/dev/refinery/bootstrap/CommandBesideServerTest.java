package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: {@code refinery token create} and {@code refinery migrate} in a second shell while
 * {@code refinery serve} runs on the embedded default reach the running server's PostgreSQL.
 */
class CommandBesideServerTest {

    record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            var cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8).strip(), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void tokenCreateAndMigrateInASecondShellWhileServeRunsAndTheTokenIsAcceptedAfterARestartWithTokenAuth(
            @TempDir Path dataDir) throws Exception {
        String token;
        // `refinery serve` in a JVM of its own, as in shell 1; the commands run here, as in shell 2
        try (ChildRefinery serve = new ChildRefinery(dataDir, Map.of()).start()) {
            Run created = cli("token", "create", "--data-dir", dataDir.toString(), "--role", "main@roles/root?1",
                    "--scopes", "read,write");
            assertEquals(0, created.exit(), created.err());
            token = created.out();
            assertTrue(token.startsWith("rfy_"), created.out());

            Run migrated = cli("migrate", "--data-dir", dataDir.toString());
            assertEquals(0, migrated.exit(), migrated.err());
            assertTrue(migrated.out().contains("run by the Refinery serving it"), migrated.out());

            // the server was not disturbed
            assertEquals(201, serve.http().post("/v1/refinements",
                    "{'branch':'main','vibes':[{'id':'a','kind':'RECORD','schema':{},'solution':1}]}").status(),
                    serve::tailQuietly);
        }

        try (ChildRefinery serve = new ChildRefinery(dataDir, Map.of("REFINERY_AUTH_MODE", "token")).start()) {
            assertEquals(401, serve.http().get("/v1/vibes/a?branch=main").status());
            Http withToken = new Http(serve.url(), Optional.of(token));
            Http.Answer read = withToken.get("/v1/vibes/a?branch=main");
            assertEquals(200, read.status(), read.text());
            // a read,write token writes every branch but the protected main (auth.protected-branches)
            Http.Answer refused = withToken.post("/v1/refinements",
                    "{'branch':'main','vibes':[{'id':'b','kind':'RECORD','schema':{},'solution':2}]}");
            assertEquals(403, refused.status(), refused.text());
            assertEquals(201, withToken.post("/v1/branches", "{'name':'dev'}").status());
            Http.Answer written = withToken.post("/v1/refinements",
                    "{'branch':'dev','vibes':[{'id':'b','kind':'RECORD','schema':{},'solution':2}]}");
            assertEquals(201, written.status(), written.text());
        }
    }

    @Test
    void aSecondServerOnTheSameDataFolderSaysWhatToDo(@TempDir Path dataDir) {
        try (RefineryServer server = RefineryServer.start(EmbeddedDefaultTest.settings(dataDir, Map.of()))) {
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> RefineryServer.start(EmbeddedDefaultTest.settings(dataDir, Map.of())).close());
            assertTrue(refused.getMessage().contains("another Refinery serves the data folder"), refused.getMessage());
            assertEquals(200, new Http("http://127.0.0.1:" + server.port(), Optional.empty()).get("/observe/health").status(),
                    "the first server keeps its PostgreSQL");
        }
    }
}
