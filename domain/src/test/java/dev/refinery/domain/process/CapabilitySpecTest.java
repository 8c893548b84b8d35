package dev.refinery.domain.process;

import dev.refinery.domain.Violation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.refinery.domain.process.ProcessJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class CapabilitySpecTest {

    private static List<String> pointers(String context) {
        return ProcessJson.violationsOf(CapabilitySpec.parse(json(context))).stream()
                .map(Violation::pointer).toList();
    }

    @Test
    void readsEachExecutor() {
        assertEquals(new CapabilitySpec.Builtin("merge", Optional.empty()),
                CapabilitySpec.parse(json("{'executor': 'builtin', 'function': 'merge'}")).orElseThrow());
        assertEquals(new CapabilitySpec.TemporalActivity("Score", "scoring", Optional.of(Duration.ofSeconds(30))),
                CapabilitySpec.parse(json("{'executor': 'temporal-activity', 'activityType': 'Score', "
                        + "'taskQueue': 'scoring', 'timeout': 'PT30S'}")).orElseThrow());
        assertEquals(new CapabilitySpec.Http("http://127.0.0.1:8081/score", Optional.empty()),
                CapabilitySpec.parse(json("{'executor': 'http', 'url': 'http://127.0.0.1:8081/score'}")).orElseThrow());
    }

    @Test
    void aSpecReadsBackFromItsJson() {
        CapabilitySpec spec = new CapabilitySpec.TemporalActivity("Score", "q", Optional.of(Duration.ofMinutes(2)));

        assertEquals(spec, CapabilitySpec.parse(spec.toJson()).orElseThrow());
    }

    @Test
    void rejectsWhatCannotRun() {
        assertEquals(List.of("/executor"), pointers("{'executor': 'ftp'}"));
        assertEquals(List.of("/executor"), pointers("{}"));
        assertEquals(List.of("/function"), pointers("{'executor': 'builtin', 'function': 'rm'}"));
        assertEquals(List.of("/activityType", "/taskQueue"), pointers("{'executor': 'temporal-activity'}"));
        assertEquals(List.of("/url"), pointers("{'executor': 'http', 'url': 'file:///etc/passwd'}"));
        assertEquals(List.of("/url"), pointers("{'executor': 'http', 'url': 'http:///nohost'}"));
        assertEquals(List.of("/timeout"), pointers("{'executor': 'builtin', 'function': 'echo', 'timeout': 'PT0S'}"));
    }
}
