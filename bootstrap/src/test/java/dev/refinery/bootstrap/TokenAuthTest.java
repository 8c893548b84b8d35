package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                "--scopes", "read,write,admin", "--label", "test");
        String readOnly = runCli("token", "create", "--data-dir", dataDir.toString(), "--role", "main@roles/root?1",
                "--scopes", "read");
        assertTrue(token.startsWith("rfy_"), token);

        try (RefineryServer server = RefineryServer.start(tokenSettings(dataDir))) {
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
    void tokensAreLimitedListedAndRevokedFromTheCommandLine(@TempDir Path dataDir) {
        // given a feature token that expires in 30 days, and an admin token
        String feature = runCli("token", "create", "--data-dir", dataDir.toString(), "--role", "main@roles/root?1",
                "--scopes", "read,write", "--branches", "feature/*", "--expires-in", "P30D", "--label", "features");
        String admin = runCli("token", "create", "--data-dir", dataDir.toString(), "--role", "main@roles/root?1",
                "--scopes", "admin", "--label", "ops");
        String featureId = idOf(feature);

        // when
        String listed = runCli("token", "list", "--data-dir", dataDir.toString());

        // then the list says what each is, and holds no secret
        String[] row = columns(listed, featureId);
        assertEquals(List.of("main@roles/root?1", "read,write", "feature/*"), List.of(row[1], row[2], row[3]), listed);
        Duration offBy30Days = Duration.between(Instant.now().plus(Duration.ofDays(30)), Instant.parse(row[5])).abs();
        assertTrue(offBy30Days.compareTo(Duration.ofHours(1)) < 0, listed);
        assertEquals(List.of("-", "features"), List.of(row[6], row[7]), listed);
        assertFalse(listed.contains(feature.substring(4)) || listed.contains(admin.substring(4)), listed);

        try (RefineryServer server = RefineryServer.start(tokenSettings(dataDir))) {
            String base = "http://127.0.0.1:" + server.port();
            Http asFeature = new Http(base, Optional.of(feature));
            Http asAdmin = new Http(base, Optional.of(admin));

            // the feature token writes feature branches only; main is protected
            Http.Answer onMain = asFeature.post("/v1/refinements", "{'branch':'main','vibes':[{'id':'m','kind':'RECORD'}]}");
            Http.Answer forked = asFeature.post("/v1/branches", "{'name':'feature/x'}");
            Http.Answer onFeature = asFeature.post("/v1/refinements", "{'branch':'feature/x','vibes':[{'id':'f','kind':'RECORD'}]}");
            Http.Answer merged = asFeature.post("/v1/merges", "{'source':'feature/x','target':'main'}");
            assertEquals(403, onMain.status(), onMain.text());
            assertEquals(201, forked.status(), forked.text());
            assertEquals(201, onFeature.status(), onFeature.text());
            assertEquals(403, merged.status(), merged.text());
            assertEquals(201, asAdmin.post("/v1/merges", "{'source':'feature/x','target':'main'}").status());

            // an admin revokes it over HTTP, and it is refused at once
            assertEquals(204, asAdmin.delete("/v1/tokens/" + featureId).status());
            Http.Answer revoked = asFeature.get("/v1/branches");
            assertEquals(401, revoked.status(), revoked.text());
        }

        // the command line revokes too, and the list shows both revocations
        assertTrue(runCli("token", "revoke", "--data-dir", dataDir.toString(), idOf(admin)).startsWith("revoked " + idOf(admin)));
        String after = runCli("token", "list", "--data-dir", dataDir.toString());
        assertTrue(columns(after, featureId)[6].startsWith("20"), after);
        assertTrue(columns(after, idOf(admin))[6].startsWith("20"), after);
    }

    /** The columns of the row of {@code id} in what {@code token list} printed. */
    private static String[] columns(String listed, String id) {
        String line = listed.lines().filter(l -> l.startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id + " in\n" + listed));
        return line.strip().split("\\s{2,}");
    }

    private static Settings tokenSettings(Path dataDir) {
        return Settings.load(Optional.empty(), Map.of(), Map.of("refinery.data-dir", dataDir.toString(),
                "refinery.http.port", "0", "refinery.temporal.port", "0", "refinery.auth.mode", "token"));
    }

    private static String idOf(String token) {
        return dev.refinery.application.auth.TokenId.of(dev.refinery.application.auth.TokenHash.of(token)).value();
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
