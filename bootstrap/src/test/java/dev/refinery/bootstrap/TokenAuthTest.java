package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** auth.mode=token end to end: a token from `refinery token create`, then the API with and without it. */
class TokenAuthTest {

    private static String runCli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.commandLine().execute(args);
            assertEquals(0, exit, () -> "refinery " + String.join(" ", args) + " exited " + exit + ": " + captured);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void aTokenFromTheCommandLineAuthorsWritesAsItsRoleAndNothingWorksWithoutOne(@TempDir Path dataDir) {
        String token = runCli("token", "create", "--data-dir", dataDir.toString(), "--role", "main@roles/root?1",
                "--scopes", "read,write", "--label", "test");
        String readOnly = runCli("token", "create", "--data-dir", dataDir.toString(), "--role", "main@roles/root?1",
                "--scopes", "read");
        assertTrue(token.startsWith("rfy_"), token);

        Settings settings = Settings.load(Optional.empty(), Map.of(), Map.of("refinery.data-dir", dataDir.toString(),
                "refinery.http.port", "0", "refinery.temporal.port", "0", "refinery.auth.mode", "token"));
        try (RefineryServer server = RefineryServer.start(settings)) {
            String base = "http://127.0.0.1:" + server.port();
            String body = "{'branch':'main','vibes':[{'id':'a','kind':'RECORD','schema':{},'solution':1}]}";

            Http.Answer anonymous = new Http(base, Optional.empty()).get("/v1/branches");
            Http.Answer wrong = new Http(base, Optional.of("rfy_not-a-token")).get("/v1/branches");
            Http.Answer cannotWrite = new Http(base, Optional.of(readOnly)).post("/v1/refinements", body);
            Http.Answer written = new Http(base, Optional.of(token)).post("/v1/refinements", body);

            assertEquals(401, anonymous.status(), anonymous.text());
            assertEquals(401, wrong.status(), wrong.text());
            assertEquals(403, cannotWrite.status(), cannotWrite.text());
            assertEquals(201, written.status(), written.text());
            assertEquals("main@roles/root?1", written.body().at("/vibes/0/authorRef").asText());
        }
    }

    @Test
    void noAuthenticationIsRefusedOffLoopback(@TempDir Path dataDir) {
        Settings open = Settings.load(Optional.empty(), Map.of(), Map.of("refinery.data-dir", dataDir.toString(),
                "refinery.http.host", "0.0.0.0", "refinery.http.port", "0", "refinery.temporal.port", "0", "refinery.auth.mode", "none"));

        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> RefineryServer.start(open));
        assertTrue(refused.getMessage().contains("loopback"), refused.getMessage());
    }

    @Test
    void versionAndHelpAnswer() {
        assertTrue(runCli("version").startsWith("refinery "));
        assertTrue(runCli("--help").contains("serve"));
    }
}
