package dev.refinery.adapters.temporal;

import dev.refinery.domain.process.CapabilityResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.refinery.adapters.temporal.ProcessTestBed.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdkHttpCapabilityClientTest {
    private LocalHttpCapability server;
    private JdkHttpCapabilityClient client;

    @BeforeEach
    void start() throws IOException {
        server = new LocalHttpCapability();
        client = new JdkHttpCapabilityClient(Set.of("http://127.0.0.1:" + server.port()), Duration.ofSeconds(2),
                Duration.ofSeconds(5), 10_000);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CapabilityResult post(String path) {
        return client.post(server.url(path), json("{'name': 'Ada'}"), "run/step/x", Optional.empty());
    }

    private CapabilityResult.Failed failed(CapabilityResult result) {
        return assertInstanceOf(CapabilityResult.Failed.class, result);
    }

    @Test
    void aJsonAnswerIsTheOutputAndTheIdempotencyKeyIsSent() {
        assertEquals(new CapabilityResult.Succeeded(json("{'score': 3}")), post("/score"));
        assertEquals("run/step/x", server.calls.getFirst().idempotencyKey());
        assertEquals(json("{'name': 'Ada'}"), server.calls.getFirst().body());
    }

    @Test
    void onlyAllowListedSchemesHostsAndPortsAreCalled() {
        JdkHttpCapabilityClient httpsOnly = new JdkHttpCapabilityClient(Set.of("https://127.0.0.1:" + server.port()),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 10_000);

        CapabilityResult.Failed refused = failed(client.post("http://localhost:" + server.port() + "/score", json("{}"),
                "k", Optional.empty()));
        CapabilityResult.Failed otherPort = failed(client.post("http://127.0.0.1:1/score", json("{}"), "k", Optional.empty()));
        CapabilityResult.Failed otherScheme = failed(httpsOnly.post(server.url("/score"), json("{}"), "k", Optional.empty()));

        assertFalse(refused.retryable());
        assertTrue(refused.message().contains("not on the allow-list"), refused.message());
        assertTrue(otherPort.message().contains("not on the allow-list"), otherPort.message());
        assertEquals("http: http://127.0.0.1:" + server.port() + " is not on the allow-list", otherScheme.message());
        assertEquals(0, server.calls.size());
    }

    @Test
    void anAllowListEntryNamesSchemeHostAndPortAndTheOldFormsAreRefusedWithWhatToWrite() {
        HttpAllowList list = HttpAllowList.parse(List.of(" https://API.example.com ", "http://[::1]:8081"));

        assertTrue(list.allows(URI.create("https://api.example.com/v1/score")));
        assertTrue(list.allows(URI.create("https://api.example.com:443/v1/score")), "the scheme's default port");
        assertFalse(list.allows(URI.create("http://api.example.com/v1/score")));
        assertFalse(list.allows(URI.create("https://api.example.com:8443/v1/score")));
        assertTrue(list.allows(URI.create("http://[::1]:8081/x")));
        for (String old : List.of("127.0.0.1", "127.0.0.1:8081")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpAllowList.parse(List.of(old)));
            assertTrue(e.getMessage().contains("names no scheme") && e.getMessage().contains("https://" + old),
                    e.getMessage());
        }
        for (String bad : List.of("ftp://h", "https://h/path", "https://user@h", "https://")) {
            assertThrows(IllegalArgumentException.class, () -> HttpAllowList.parse(List.of(bad)), bad);
        }
    }

    @Test
    void aServerThatDripsItsAnswerIsCutOffAtTheDeadlineOfTheWholeExchange() throws Exception {
        // the headers come at once (the JDK's request timeout is met), the body a byte every 100 ms for 10 s
        CapabilityResult.Failed drip = failed(client.post(server.url("/drip"), json("{}"), "k",
                Optional.of(Duration.ofMillis(500))));

        assertTrue(drip.retryable());
        assertTrue(drip.message().contains("did not answer in time"), drip.message());
        assertFalse(server.drips.get(30, java.util.concurrent.TimeUnit.SECONDS),
                "the client hung up rather than read the dripping answer to its end");
    }

    @Test
    void serverTroubleIsRetryableAndARefusalIsNot() {
        assertTrue(failed(post("/down")).retryable());
        CapabilityResult.Failed missing = failed(post("/missing"));
        assertFalse(missing.retryable());
        assertTrue(missing.message().contains("404: no such capability"), missing.message());
    }

    @Test
    void aTooLargeOrNonJsonAnswerFailsForGood() {
        CapabilityResult.Failed huge = failed(post("/huge"));
        assertFalse(huge.retryable());
        assertTrue(huge.message().contains("larger than 10000 bytes"), huge.message());
        assertFalse(failed(post("/text")).retryable());
    }

    @Test
    void aSlowAnswerTimesOutAndMayBeRetried() {
        CapabilityResult.Failed slow = failed(client.post(server.url("/slow"), json("{}"), "k",
                Optional.of(Duration.ofMillis(300))));

        assertTrue(slow.retryable());
        assertTrue(slow.message().contains("did not answer in time"), slow.message());
    }
}
