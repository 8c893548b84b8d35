package dev.refinery.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.adapters.temporal.EmbeddedTemporal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.refinery.bootstrap.ProcessFixtures.await;
import static dev.refinery.bootstrap.ProcessFixtures.capability;
import static dev.refinery.bootstrap.ProcessFixtures.finished;
import static dev.refinery.bootstrap.ProcessFixtures.process;
import static dev.refinery.bootstrap.ProcessFixtures.start;
import static dev.refinery.bootstrap.ProcessFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With refinery.temporal.target, Refinery starts no Temporal of its own and runs processes on the one named. */
class TemporalClusterTest {

    @Test
    void aConfiguredTemporalTargetRunsTheProcessesAndNoEmbeddedServerStarts(@TempDir Path dataDir) throws Exception {
        try (EmbeddedTemporal cluster = EmbeddedTemporal.start(0);
             RefineryServer refinery = RefineryServer.start(Settings.load(Optional.empty(), Map.of(), Map.of(
                     "refinery.data-dir", dataDir.toString(), "refinery.http.port", "0",
                     "refinery.temporal.target", cluster.target())))) {
            Http http = new Http("http://127.0.0.1:" + refinery.port(), Optional.empty());
            write(http, capability("caps/echo", "{'executor':'builtin','function':'echo'}"),
                    process("processes/echo", "{'steps':[{'name':'once','capability':'aug:/caps/echo'}],"
                            + "'result':{'$from':'/steps/once/output'}}", "{}", "{}"));

            String id = start(http, "{'process':'aug:/processes/echo','input':{'x':1}}");
            JsonNode run = await(http, id, Duration.ofSeconds(60), finished());

            assertEquals("COMPLETED", run.path("status").asText(), run::toString);
            assertTrue(refinery.embeddedTemporalTarget().isEmpty());
        }
    }
}
