package dev.refinery.bootstrap;

import dev.refinery.adapters.postgres.PostgresLedgerConfig;
import dev.refinery.adapters.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's production path: an existing PostgreSQL, `refinery migrate` as its owner creating the
 * service's role, then `refinery serve` connecting as that role.
 */
class ExistingDatabaseTest {

    @Test
    void migrateAsTheOwnerThenServeAsTheLeastPrivilegedRole(@TempDir Path dir) throws Exception {
        String role = "refinery_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (TestDatabase db = TestDatabase.create()) {
            PostgresLedgerConfig owner = db.owner();
            Path ownerConfig = dir.resolve("owner.yaml");
            Files.writeString(ownerConfig, "refinery:\n  db:\n    url: \"" + owner.url() + "\"\n    user: " + owner.username()
                    + "\n" + owner.password().map(p -> "    password: \"" + p + "\"\n").orElse(""));
            Path secret = dir.resolve("app-password");
            Files.writeString(secret, "pw-" + UUID.randomUUID());
            try {
                int migrated = Main.commandLine().execute("migrate", "--config", ownerConfig.toString(),
                        "--app-role", role, "--app-password-file", secret.toString());
                assertEquals(0, migrated);

                Settings asService = Settings.load(Optional.empty(), Map.of(), Map.of(
                        "refinery.db.url", owner.url(), "refinery.db.user", role,
                        "refinery.db.password-file", secret.toString(), "refinery.http.port", "0", "refinery.temporal.port", "0"));
                try (RefineryServer server = RefineryServer.start(asService)) {
                    Http http = new Http("http://127.0.0.1:" + server.port(), Optional.empty());
                    Http.Answer written = http.post("/v1/refinements",
                            "{'branch':'main','vibes':[{'id':'x','kind':'RECORD','schema':{},'solution':1}]}");
                    Http.Answer health = http.get("/observe/health");

                    assertEquals(201, written.status(), written.text());
                    assertEquals(200, health.status(), health.text());
                }
            } finally {
                db.execute("REASSIGN OWNED BY " + role + " TO CURRENT_USER", "DROP OWNED BY " + role,
                        "DROP ROLE IF EXISTS " + role);
            }
        }
    }
}
