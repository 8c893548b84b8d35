package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.application.port.HttpCapabilityClient;
import dev.refinery.domain.process.CapabilityResult;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link HttpCapabilityClient} with the JDK's HTTP client. Only hosts on the allow-list are called (an entry is
 * {@code host} for any port or {@code host:port}); redirects are not followed, so the list cannot be left.
 */
public final class JdkHttpCapabilityClient implements HttpCapabilityClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> allowedHosts;
    private final Duration defaultTimeout;
    private final long maxResponseBytes;
    private final HttpClient client;

    /**
     * @param allowedHosts     {@code host} or {@code host:port} entries, compared without case
     * @param connectTimeout   to open a connection
     * @param defaultTimeout   for a whole request whose capability names no timeout
     * @param maxResponseBytes the largest response body read; a larger one fails the call
     */
    public JdkHttpCapabilityClient(Set<String> allowedHosts, Duration connectTimeout, Duration defaultTimeout,
                                   long maxResponseBytes) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.defaultTimeout = defaultTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public CapabilityResult post(String url, JsonNode body, String idempotencyKey, Optional<Duration> timeout) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return CapabilityResult.fatal("http: " + url + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return CapabilityResult.fatal("http: " + url + " is not an http(s) URL with a host");
        }
        if (!allowed(uri)) {
            return CapabilityResult.fatal("http: host " + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + " is not on the allow-list");
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout.orElse(defaultTimeout))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = response.body()) {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 1));
            }
            if (bytes.length > maxResponseBytes) {
                return CapabilityResult.fatal("http: the answer of " + url + " is larger than " + maxResponseBytes + " bytes");
            }
            return answer(url, response.statusCode(), bytes);
        } catch (HttpTimeoutException e) {
            return new CapabilityResult.Failed("http: " + url + " did not answer in time", true);
        } catch (IOException e) {
            return new CapabilityResult.Failed("http: " + url + ": " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CapabilityResult.Failed("http: interrupted", true);
        }
    }

    private boolean allowed(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return allowedHosts.contains(host) || allowedHosts.contains(host + ":" + port);
    }

    private static CapabilityResult answer(String url, int status, byte[] body) {
        if (status >= 200 && status < 300) {
            if (body.length == 0) return new CapabilityResult.Succeeded(JSON.nullNode());
            try {
                return new CapabilityResult.Succeeded(JSON.readTree(body));
            } catch (IOException e) {
                return CapabilityResult.fatal("http: " + url + " answered " + status + " with a body that is not JSON");
            }
        }
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        String said = "http: " + url + " answered " + status + (text.isBlank() ? "" : ": " + text.strip());
        return new CapabilityResult.Failed(said, status == 408 || status == 429 || status >= 500);
    }
}
