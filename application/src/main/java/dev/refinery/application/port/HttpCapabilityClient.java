package dev.refinery.application.port;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.domain.process.CapabilityResult;

import java.time.Duration;
import java.util.Optional;

/**
 * Calls an {@code http} capability: POSTs {@code body} as JSON to {@code url} and answers the JSON response.
 * Adapters enforce a host allow-list, connect and request timeouts and a response size cap, and send
 * {@code idempotencyKey} as the {@code Idempotency-Key} header.
 *
 * <p>Outcomes: a 2xx JSON answer is {@link CapabilityResult.Succeeded}; a host not on the allow-list, a 4xx, a
 * non-JSON or too large answer fail for good; a 5xx, a 429, a timeout or a connection failure are retryable.
 */
@FunctionalInterface
public interface HttpCapabilityClient {
    CapabilityResult post(String url, JsonNode body, String idempotencyKey, Optional<Duration> timeout);
}
