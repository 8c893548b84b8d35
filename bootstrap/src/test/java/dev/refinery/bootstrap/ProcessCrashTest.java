package dev.refinery.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.refinery.bootstrap.ProcessFixtures.await;
import static dev.refinery.bootstrap.ProcessFixtures.capability;
import static dev.refinery.bootstrap.ProcessFixtures.finished;
import static dev.refinery.bootstrap.ProcessFixtures.process;
import static dev.refinery.bootstrap.ProcessFixtures.start;
import static dev.refinery.bootstrap.ProcessFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * kill -9 of `refinery serve` in the middle of runs, then a restart on the same data: every run
 * completes from its recorded step, with exactly one result vibe and one result refinement.
 */
class ProcessCrashTest {
    private static final int RUNS = 5;

    @Test
    void runsInterruptedByAKillNineCompleteAfterARestartWithExactlyOneResultEach(@TempDir Path dataDir) throws Exception {
        List<String> ids = new ArrayList<>();
        try (ChildRefinery child = new ChildRefinery(dataDir, Map.of()).start()) {
            Http http = child.http();
            write(http,
                    capability("caps/echo", "{'executor':'builtin','function':'echo'}"),
                    capability("caps/sleep", "{'executor':'builtin','function':'sleep'}"),
                    process("processes/slow", """
                            {'steps':[
                              {'name':'first','capability':'aug:/caps/echo','input':{'n':{'$from':'/input/n'}}},
                              {'name':'nap','capability':'aug:/caps/sleep','input':{'ms':4000}},
                              {'name':'last','capability':'aug:/caps/echo','input':{'n':{'$from':'/steps/first/output/n'}}}],
                             'result':{'$from':'/steps/last/output'}}""",
                            "{'type':'object','required':['n']}", "{'n':0}"));
            for (int i = 0; i < RUNS; i++) ids.add(start(http, "{'process':'aug:/processes/slow','input':{'n':" + i + "}}"));
            for (String id : ids) await(http, id, Duration.ofSeconds(60), run -> run.at("/context/steps/first").isObject());

            child.kill9();

            child.start();
            for (int i = 0; i < RUNS; i++) {
                JsonNode run = await(http, ids.get(i), Duration.ofSeconds(90), finished());
                assertEquals("COMPLETED", run.path("status").asText(), run::toString);
                String resultRef = run.path("resultRef").asText();
                String resultId = resultRef.substring(resultRef.indexOf('@') + 1, resultRef.indexOf('?'));
                Http.Answer history = http.get("/v1/history/" + resultId + "?branch=main");
                assertEquals(1, history.body().get("items").size(), "exactly one result vibe: " + history.text());
                assertEquals(i, history.body().at("/items/0/solution/n").asInt());
            }
            Http.Answer log = http.get("/v1/refinements?branch=main&limit=1000");
            long processRefinements = 0;
            for (JsonNode r : log.body().get("items")) if (r.get("kind").asText().equals("process")) processRefinements++;
            assertEquals(RUNS, processRefinements, "exactly one result refinement per run");
        }
    }
}
