package dev.refinery.adapters.temporal;

import dev.refinery.domain.process.CapabilityResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static dev.refinery.adapters.temporal.ProcessTestBed.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdkHttpCapabilityClientTest {
    private LocalHttpCapability server;
    private JdkHttpCapabilityClient client;

    @BeforeEach
    void start() throws IOException {
        server = new LocalHttpCapability();
        client = new JdkHttpCapabilityClient(Set.of("127.0.0.1:" + server.port()), Duration.ofSeconds(2),
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
    void onlyAllowListedHostsAreCalled() {
        JdkHttpCapabilityClient anyPort = new JdkHttpCapabilityClient(Set.of("127.0.0.1"), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 10_000);

        CapabilityResult.Failed refused = failed(client.post("http://localhost:" + server.port() + "/score", json("{}"),
                "k", Optional.empty()));
        CapabilityResult.Failed otherPort = failed(client.post("http://127.0.0.1:1/score", json("{}"), "k", Optional.empty()));

        assertFalse(refused.retryable());
        assertTrue(refused.message().contains("not on the allow-list"), refused.message());
        assertTrue(otherPort.message().contains("not on the allow-list"), otherPort.message());
        assertEquals(0, server.calls.size());
        assertInstanceOf(CapabilityResult.Succeeded.class, anyPort.post(server.url("/score"), json("{}"), "k", Optional.empty()),
                "a bare host allows every port");
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
