package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.application.port.HttpCapabilityClient;
import dev.refinery.domain.process.CapabilityResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link HttpCapabilityClient} with the JDK's HTTP client. Only URLs whose scheme, host and port are on the
 * {@link HttpAllowList} are called; redirects are not followed, so the list cannot be left. The timeout bounds the
 * whole exchange, the body included (the JDK's request timeout stops at the headers): a server that drips its
 * answer is cut off at the deadline.
 */
public final class JdkHttpCapabilityClient implements HttpCapabilityClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpAllowList allowList;
    private final Duration defaultTimeout;
    private final long maxResponseBytes;
    private final HttpClient client;

    /**
     * @param allowList        {@code scheme://host[:port]} entries ({@link HttpAllowList})
     * @param connectTimeout   to open a connection
     * @param defaultTimeout   for a whole exchange whose capability names no timeout
     * @param maxResponseBytes the largest response body read; a larger one fails the call
     * @throws IllegalArgumentException for an entry of the allow-list that is not {@code scheme://host[:port]}
     */
    public JdkHttpCapabilityClient(Set<String> allowList, Duration connectTimeout, Duration defaultTimeout,
                                   long maxResponseBytes) {
        this.allowList = HttpAllowList.parse(allowList);
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
        if (!allowList.allows(uri)) {
            return CapabilityResult.fatal("http: " + scheme + "://" + uri.getHost()
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + " is not on the allow-list");
        }
        Duration deadline = timeout.orElse(defaultTimeout);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(deadline)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request, info -> new BoundedBody(maxResponseBytes));
        try {
            HttpResponse<byte[]> response = exchange.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            return answer(url, response.statusCode(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true); // closes the connection: the server may drip on, nobody reads
            return notInTime(url);
        } catch (ExecutionException e) {
            return switch (e.getCause()) {
                case TooLarge t -> CapabilityResult.fatal("http: the answer of " + url + " is larger than "
                        + maxResponseBytes + " bytes");
                case HttpTimeoutException t -> notInTime(url);
                case null -> new CapabilityResult.Failed("http: " + url + ": " + e, true);
                default -> new CapabilityResult.Failed("http: " + url + ": " + e.getCause(), true);
            };
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new CapabilityResult.Failed("http: interrupted", true);
        }
    }

    private static CapabilityResult notInTime(String url) {
        return new CapabilityResult.Failed("http: " + url + " did not answer in time", true);
    }

    /** A response body read whole, up to a size: past it the exchange is given up. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long max;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(long max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            for (ByteBuffer item : items) {
                if (bytes.size() + (long) item.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    /** The answer is larger than the client reads. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super(null, null);
        }
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
