package dev.refinery.adapters.postgres;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PostgresLedgerConfigTest {

    private static Config db(Map<String, String> values) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(values)).build().get("db");
    }

    @Test
    void aPasswordFileWinsOverAnInlinePasswordAndLosesOnlyItsLineBreak(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret");
        Files.writeString(file, "s3cr et\n");

        PostgresLedgerConfig config = PostgresLedgerConfig.from(db(Map.of(
                "db.url", "jdbc:postgresql://a:5432,b:5432/refinery?targetServerType=primary",
                "db.username", "refinery_app", "db.password", "inline", "db.password-file", file.toString(),
                "db.pool.max-size", "3", "db.pool.connection-timeout", "PT2S")));

        assertEquals(Optional.of("s3cr et"), config.password());
        assertEquals(3, config.maxPoolSize());
        assertEquals(Duration.ofSeconds(2), config.connectionTimeout());
    }

    @Test
    void neitherThePasswordNorOneInTheUrlIsEverShown() {
        PostgresLedgerConfig config = PostgresLedgerConfig.of("jdbc:postgresql://h/db?user=u&password=hunter2&ssl=true",
                "u", "swordfish");

        assertFalse(config.toString().contains("hunter2"));
        assertFalse(config.toString().contains("swordfish"));
        assertEquals("jdbc:postgresql://h/db?user=u&password=***&ssl=true", config.redactedUrl());
    }

    @Test
    void onlyPostgresqlUrlsAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> PostgresLedgerConfig.of("jdbc:mysql://h/db", "u", null));
        assertEquals(Optional.empty(), PostgresLedgerConfig.fromEnvironment(Map.of(), "REFINERY_DB"));
    }
}
