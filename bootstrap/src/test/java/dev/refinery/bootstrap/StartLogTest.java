package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a person sees when `refinery serve` starts: one ready line, real paths, no noise from the stack. */
class StartLogTest {

    @Test
    void aStartPrintsOneReadyLineWithNormalisedPathsAndNoLoggingWarning(@TempDir Path tmp) throws Exception {
        // given as a user may type it, with "./" inside
        java.nio.file.Files.createDirectories(tmp.resolve("data"));
        try (ChildRefinery child = new ChildRefinery(Path.of(tmp + "/./data"), Map.of())) {
            child.start();
            String log = awaitLine(child, "Refinery ready on ");
            assertFalse(log.contains("There is no Helidon logging implementation"), log);
            assertFalse(log.contains("/./"), log);
            assertEquals(1, Arrays.stream(log.split("\n")).filter(l -> l.contains(child.url())).count(),
                    "one line names where it listens:\n" + log);
            assertTrue(log.contains("data in " + tmp.resolve("data").resolve("postgres")), log);
        }
    }

    private static String awaitLine(ChildRefinery child, String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            String log = child.log();
            if (log.contains(text)) return log;
            Thread.sleep(50);
        }
        return child.log();
    }
}
