package dev.refinery.bootstrap;

import dev.refinery.application.auth.BranchPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    @Test
    void withNothingSetTheDefaultsAreTheEmbeddedServerOnLoopback() {
        Settings s = Settings.load(Optional.empty(), Map.of(), Map.of());

        assertEquals("127.0.0.1", s.httpHost());
        assertEquals(8080, s.httpPort());
        assertEquals(1_048_576, s.maxBodyBytes());
        assertEquals("none", s.authMode());
        assertTrue(s.embeddedDatabase());
        assertEquals(Path.of("./refinery-data").toAbsolutePath().normalize(), s.dataDir());
        assertEquals(Optional.empty(), s.temporalTarget());
        assertEquals(1_000, s.dryRunImpactLimit());
    }

    @Test
    void optionsBeatEnvironmentWhichBeatsTheConfigFileWhichBeatsDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("refinery.yaml");
        Files.writeString(file, "refinery:\n  http:\n    port: 7000\n    host: 0.0.0.0\n  auth:\n    mode: token\n");

        Settings fileOnly = Settings.load(Optional.of(file), Map.of(), Map.of());
        Settings withEnv = Settings.load(Optional.of(file), Map.of("REFINERY_HTTP_PORT", "7001"), Map.of());
        Settings withOption = Settings.load(Optional.of(file), Map.of("REFINERY_HTTP_PORT", "7001"),
                Map.of("refinery.http.port", "7002"));

        assertEquals(7000, fileOnly.httpPort());
        assertEquals("0.0.0.0", fileOnly.httpHost());
        assertEquals("token", fileOnly.authMode());
        assertEquals(7001, withEnv.httpPort());
        assertEquals(7002, withOption.httpPort());
    }

    @Test
    void mainIsProtectedUnlessConfiguredOtherwise() {
        assertEquals(List.of(BranchPattern.parse("main")),
                Settings.load(Optional.empty(), Map.of(), Map.of()).protectedBranches());
        assertEquals(List.of(BranchPattern.parse("main"), BranchPattern.parse("release/*")), Settings.load(Optional.empty(),
                Map.of("REFINERY_AUTH_PROTECTED_BRANCHES", "main, release/*"), Map.of()).protectedBranches());
        assertEquals(List.of(), Settings.load(Optional.empty(), Map.of(),
                Map.of("refinery.auth.protected-branches", "")).protectedBranches());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Settings.load(Optional.empty(),
                Map.of("REFINERY_AUTH_PROTECTED_BRANCHES", "main,/x"), Map.of()));
        assertTrue(bad.getMessage().startsWith("refinery.auth.protected-branches: invalid branch pattern \"/x\""),
                bad.getMessage());
    }

    @Test
    void aPasswordFileWinsAndThePasswordIsNeverPrinted(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("pw");
        Files.writeString(secret, "s3cret-from-file\n");

        Settings s = Settings.load(Optional.empty(), Map.of(
                "REFINERY_DB_URL", "jdbc:postgresql://db/refinery",
                "REFINERY_DB_PASSWORD", "s3cret-from-env",
                "REFINERY_DB_PASSWORD_FILE", secret.toString()), Map.of());

        assertEquals(Optional.of("s3cret-from-file"), s.dbPassword());
        assertFalse(s.embeddedDatabase());
        assertFalse(s.toString().contains("s3cret"), s::toString);
    }

    @Test
    void aBadAuthModeOrUnreadableConfigFileIsRefused(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> Settings.load(Optional.empty(), Map.of("REFINERY_AUTH_MODE", "maybe"), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Settings.load(Optional.of(dir.resolve("missing.yaml")), Map.of(), Map.of()));
        assertEquals(7, Settings.load(Optional.empty(), Map.of(), Map.of("refinery.refine.dry-run-impact-limit", "7"))
                .dryRunImpactLimit());
        assertThrows(IllegalArgumentException.class, () -> Settings.load(Optional.empty(), Map.of(),
                Map.of("refinery.refine.dry-run-impact-limit", "0")));
    }

    @Test
    void browserRulesAndConcurrencyBoundsHaveDefaultsAndComeFromTheEnvironment() {
        Settings d = Settings.load(Optional.empty(), Map.of(), Map.of());
        Settings s = Settings.load(Optional.empty(), Map.of(
                "REFINERY_HTTP_ALLOWED_HOSTS", "refinery.example.com, other.example",
                "REFINERY_HTTP_ALLOWED_ORIGINS", "https://console.example.com"), Map.of(
                "refinery.http.max-concurrent-requests", "32", "refinery.http.max-connections", "64"));

        assertEquals(java.util.Set.of(), d.allowedHosts());
        assertEquals(java.util.Set.of(), d.allowedOrigins());
        assertEquals(128, d.maxConcurrentRequests());
        assertEquals(512, d.maxConnections());
        assertEquals(java.util.Set.of("refinery.example.com", "other.example"), s.allowedHosts());
        assertEquals(java.util.Set.of("https://console.example.com"), s.allowedOrigins());
        assertEquals(32, s.maxConcurrentRequests());
        assertEquals(64, s.maxConnections());
    }

    @Test
    void runsAreCappedAtAMebibyteEachByDefaultAndAnAllowListEntryNamesItsScheme() {
        Settings defaults = Settings.load(Optional.empty(), Map.of(), Map.of());
        assertEquals(List.of(1_048_576L, 1_048_576L, 1_048_576L), List.of(defaults.maxStepInputBytes(),
                defaults.maxStepOutputBytes(), defaults.maxRunDocumentBytes()));
        assertEquals(java.util.Set.of("https://api.example.com", "http://10.0.0.5:8081"), Settings.load(Optional.empty(),
                Map.of("REFINERY_PROCESS_HTTP_ALLOW", "https://api.example.com, http://10.0.0.5:8081"), Map.of()).httpAllow());

        IllegalArgumentException old = assertThrows(IllegalArgumentException.class, () -> Settings.load(Optional.empty(),
                Map.of("REFINERY_PROCESS_HTTP_ALLOW", "api.example.com:443"), Map.of()));
        assertTrue(old.getMessage().contains("https://api.example.com:443"), old.getMessage());
    }

    @Test
    void everySecretHasAFileFormAndTheFileWins(@TempDir Path dir) throws Exception {
        for (String secret : Settings.SECRET_VARIABLES) {
            assertTrue(Settings.ENVIRONMENT.containsKey(secret + "_FILE"), secret + " has no _FILE form");
        }
        Path file = dir.resolve("password");
        Files.writeString(file, "from-the-file\n");
        Settings s = Settings.load(Optional.empty(), Map.of("REFINERY_DB_PASSWORD", "from-the-variable",
                "REFINERY_DB_PASSWORD_FILE", file.toString()), Map.of());
        assertEquals(Optional.of("from-the-file"), s.dbPassword());
    }

    @Test
    void aSecretTakenFromAPlainEnvironmentVariableIsWarnedAbout() {
        var warnings = Settings.secretWarnings(Map.of("REFINERY_DB_PASSWORD", "hunter2", "REFINERY_HTTP_PORT", "1"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("REFINERY_DB_PASSWORD_FILE"), warnings.getFirst());
        assertFalse(warnings.getFirst().contains("hunter2"), "the warning names the variable, never the secret");
        assertEquals(java.util.List.of(), Settings.secretWarnings(Map.of("REFINERY_DB_PASSWORD_FILE", "/run/secrets/db")));
    }
}
