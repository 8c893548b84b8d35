package dev.refinery.adapters.http;

import io.helidon.common.config.Config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The limits, the authentication mode and the browser rules of the HTTP API.
 *
 * @param maxBodyBytes          the largest request body read; a larger one is answered 413 before it is read whole
 * @param maxJsonDepth          the deepest nesting of arrays and objects a request body may have
 * @param maxOutputs            the most vibes one refine may write (the refine service checks it too)
 * @param authMode              {@link AuthMode#NONE} only while the server listens on loopback: see {@link #validate}
 * @param allowedHosts          host names answered besides {@code localhost}, IP addresses and the name the server is
 *                              bound to; {@code *} answers any (see {@link HostAndOriginFilter})
 * @param allowedOrigins        origins ({@code scheme://host[:port]}) besides the server's own whose browsers may
 *                              write (any method but GET, HEAD and OPTIONS)
 * @param maxConcurrentRequests requests served at once; one more is answered 503 at once
 * @param maxConnections        TCP connections open at once; more wait to be accepted
 */
public record HttpSettings(long maxBodyBytes, int maxJsonDepth, int maxOutputs, AuthMode authMode,
                           Set<String> allowedHosts, Set<String> allowedOrigins, int maxConcurrentRequests,
                           int maxConnections) {
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_JSON_DEPTH = 64;
    public static final int DEFAULT_MAX_OUTPUTS = 100;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 128;
    public static final int DEFAULT_MAX_CONNECTIONS = 512;

    public HttpSettings {
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1 and " + (Integer.MAX_VALUE - 8));
        }
        if (maxJsonDepth < 2) throw new IllegalArgumentException("maxJsonDepth must be at least 2");
        if (maxOutputs < 1) throw new IllegalArgumentException("maxOutputs must be at least 1");
        if (authMode == null) throw new IllegalArgumentException("authMode is required");
        allowedHosts = HostAndOriginFilter.hostNames(allowedHosts == null ? Set.of() : allowedHosts);
        allowedOrigins = HostAndOriginFilter.origins(allowedOrigins == null ? Set.of() : allowedOrigins);
        if (maxConcurrentRequests < 1) throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1");
    }

    /** The given limits and mode; no other host names or origins, the default concurrency bounds. */
    public HttpSettings(long maxBodyBytes, int maxJsonDepth, int maxOutputs, AuthMode authMode) {
        this(maxBodyBytes, maxJsonDepth, maxOutputs, authMode, Set.of(), Set.of(), DEFAULT_MAX_CONCURRENT_REQUESTS,
                DEFAULT_MAX_CONNECTIONS);
    }

    /** 1 MiB bodies, depth 64, 100 outputs, tokens required, 128 requests at once on up to 512 connections. */
    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_OUTPUTS, AuthMode.TOKEN);
    }

    /**
     * Reads {@code http.max-body-bytes}, {@code http.max-json-depth}, {@code http.max-outputs},
     * {@code http.allowed-hosts} and {@code http.allowed-origins} (comma-separated),
     * {@code http.max-concurrent-requests}, {@code http.max-connections} and {@code auth.mode} from the root of the
     * configuration; what is missing keeps its default.
     */
    public static HttpSettings from(Config root) {
        HttpSettings d = defaults();
        Config http = root.get("http");
        return new HttpSettings(
                http.get("max-body-bytes").asLong().orElse(d.maxBodyBytes()),
                http.get("max-json-depth").asInt().orElse(d.maxJsonDepth()),
                http.get("max-outputs").asInt().orElse(d.maxOutputs()),
                root.get("auth.mode").asString().map(AuthMode::parse).orElse(d.authMode()),
                list(http.get("allowed-hosts").asString().orElse("")),
                list(http.get("allowed-origins").asString().orElse("")),
                http.get("max-concurrent-requests").asInt().orElse(d.maxConcurrentRequests()),
                http.get("max-connections").asInt().orElse(d.maxConnections()));
    }

    /** The entries of a comma-separated list, stripped, empty ones left out. */
    public static Set<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public HttpSettings withAuthMode(AuthMode mode) {
        return new HttpSettings(maxBodyBytes, maxJsonDepth, maxOutputs, mode, allowedHosts, allowedOrigins,
                maxConcurrentRequests, maxConnections);
    }

    /** These settings, answering {@code hosts} too and letting browsers on {@code origins} write. */
    public HttpSettings withBrowserAccess(Set<String> hosts, Set<String> origins) {
        return new HttpSettings(maxBodyBytes, maxJsonDepth, maxOutputs, authMode, hosts, origins,
                maxConcurrentRequests, maxConnections);
    }

    /** These settings with other concurrency bounds. */
    public HttpSettings withConcurrency(int maxConcurrentRequests, int maxConnections) {
        return new HttpSettings(maxBodyBytes, maxJsonDepth, maxOutputs, authMode, allowedHosts, allowedOrigins,
                maxConcurrentRequests, maxConnections);
    }

    /**
     * Refuses to start without authentication on anything but loopback: {@code auth.mode=none} is allowed
     * only when every address {@code host} names is a loopback address ({@code 127.0.0.1}, {@code ::1},
     * {@code localhost}). {@code 0.0.0.0} and {@code ::} listen everywhere, so they are refused too.
     *
     * @throws IllegalStateException when the combination is not allowed, saying why
     */
    public static void validate(String host, AuthMode authMode) {
        if (authMode != AuthMode.NONE) return;
        if (host == null || host.isBlank()) {
            throw new IllegalStateException("auth.mode=none needs an explicit loopback host (127.0.0.1, ::1 or localhost)");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.strip());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("auth.mode=none: cannot tell whether host '" + host + "' is loopback: "
                    + "it does not resolve", e);
        }
        if (addresses.length == 0 || !Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress)) {
            throw new IllegalStateException("auth.mode=none is allowed only while the server listens on loopback, "
                    + "but host '" + host + "' is not a loopback address: use auth.mode=token or listen on 127.0.0.1");
        }
    }
}
