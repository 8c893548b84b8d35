package dev.refinery.adapters.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Two rules against web pages in a browser, which can send requests to a server on the reader's machine
 * (with {@code auth.mode=none}, as its root role). Every path is covered, {@code /observe} and {@code /openapi} too.
 *
 * <ul>
 * <li><b>Host.</b> A request is answered only under a host name this server knows: {@code localhost}, the name
 * it is bound to, a name listed in {@code allowedHosts}, or any IP address literal ({@code 127.0.0.1},
 * {@code [::1]}, {@code 192.168.1.5}); else 421 Misdirected Request. A page that had its own name resolve to this
 * machine (DNS rebinding) sends that name, so it reads nothing. An IP literal cannot be rebound, so it is always
 * answered (a local probe of {@code http://127.0.0.1:8080/observe/health} works whatever the settings). The port
 * is not compared: a proxy may publish another one. {@code *} in {@code allowedHosts} answers any name.</li>
 * <li><b>Origin.</b> A write (any method but GET, HEAD and OPTIONS) that carries an {@code Origin} header, as
 * every browser's does, is served only when the origin is this server's own (its host and port are the request's
 * {@code Host}, so a console served by this server passes) or is listed in {@code allowedOrigins}; else 403.
 * {@code Origin: null} (a sandboxed or file page) is foreign. Clients that are not browsers send no
 * {@code Origin} and are not affected. A read from another origin is answered: the browser withholds it from
 * the page, since no CORS header allows it.</li>
 * </ul>
 * The third rule, a body must be {@code application/json} (a page can send other types without asking), is
 * {@link Json#readBody}'s.
 */
final class HostAndOriginFilter implements Filter {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");
    private static final String ANY = "*";

    private final Set<String> hosts;
    private final Set<String> origins;
    private final ErrorResponses errors;

    /**
     * @param allowedHosts   names answered besides localhost and IP literals (as {@link #hostNames} keeps them)
     * @param boundHost      the host the server listens on, answered too when it is a name
     * @param allowedOrigins foreign origins that may write (as {@link #origins} keeps them)
     */
    HostAndOriginFilter(Set<String> allowedHosts, Optional<String> boundHost, Set<String> allowedOrigins,
                        ErrorResponses errors) {
        Set<String> names = new HashSet<>(allowedHosts);
        names.add("localhost");
        boundHost.map(HostAndOriginFilter::name).filter(n -> NAME.matcher(n).matches()).ifPresent(names::add);
        this.hosts = Set.copyOf(names);
        this.origins = Set.copyOf(allowedOrigins);
        this.errors = errors;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        List<String> hostHeader = req.headers().values(HeaderNames.HOST);
        Optional<Authority> host = hostHeader.size() == 1 ? Authority.parse(hostHeader.getFirst()) : Optional.empty();
        if (host.isEmpty() || !answers(host.get().host())) {
            String named = hostHeader.isEmpty() ? "the request names no host (no Host header)"
                    : "this server does not answer to the host name '" + String.join(", ", hostHeader) + "'";
            errors.send(res, Problem.of(421, "misdirected-request", "Misdirected request", named
                    + "; it answers to localhost, its IP addresses and the names listed in refinery.http.allowed-hosts"));
            return;
        }
        if (isWrite(req.prologue().method()) && req.headers().contains(HeaderNames.ORIGIN)) {
            List<String> origin = req.headers().values(HeaderNames.ORIGIN);
            if (origin.size() != 1 || !mayWrite(origin.getFirst(), host.get())) {
                errors.send(res, Problem.of(403, "foreign-origin", "Forbidden", "a write from a web page on Origin '"
                        + String.join(", ", origin) + "' is refused: only pages served by this server, or on an "
                        + "origin listed in refinery.http.allowed-origins, may write"));
                return;
            }
        }
        chain.proceed();
    }

    private boolean answers(String host) {
        return hosts.contains(ANY) || hosts.contains(host) || IPV4.matcher(host).matches()
                || IPV6.matcher(host).matches();
    }

    private boolean mayWrite(String origin, Authority host) {
        Optional<String> normal = normalOrigin(origin);
        if (normal.isEmpty()) return false;
        if (origins.contains(normal.get())) return true;
        URI o = URI.create(normal.get());
        int originPort = o.getPort() >= 0 ? o.getPort() : defaultPort(o.getScheme());
        int hostPort = host.port().orElse(defaultPort(o.getScheme()));
        return name(o.getHost()).equals(host.host()) && originPort == hostPort;
    }

    private static boolean isWrite(Method method) {
        return !(method.equals(Method.GET) || method.equals(Method.HEAD) || method.equals(Method.OPTIONS));
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** A host name as compared: lower case, without the trailing dot of a fully qualified name. */
    private static String name(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * The host names of a setting, as compared.
     *
     * @throws IllegalArgumentException for an entry with a port, a scheme or a path, naming it
     */
    static Set<String> hostNames(Set<String> entries) {
        Set<String> names = new HashSet<>();
        for (String entry : entries) {
            String n = name(entry);
            if (!n.equals(ANY) && !NAME.matcher(n).matches() && !IPV6.matcher(n).matches()) {
                throw new IllegalArgumentException("refinery.http.allowed-hosts: '" + entry + "' is not a host name "
                        + "(list names alone, e.g. refinery.example.com, without scheme or port: the port is not checked)");
            }
            names.add(n);
        }
        return Set.copyOf(names);
    }

    /**
     * The origins of a setting, as compared: {@code scheme://host[:port]} in lower case, without a default port.
     *
     * @throws IllegalArgumentException for an entry that is no http or https origin, naming it
     */
    static Set<String> origins(Set<String> entries) {
        Set<String> normal = new HashSet<>();
        for (String entry : entries) {
            normal.add(normalOrigin(entry).orElseThrow(() -> new IllegalArgumentException(
                    "refinery.http.allowed-origins: '" + entry + "' is not an origin (scheme://host[:port], e.g. "
                            + "https://console.example.com, with no path; '*' is not allowed: list each origin)")));
        }
        return Set.copyOf(normal);
    }

    private static Optional<String> normalOrigin(String text) {
        String t = text.strip();
        if (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        try {
            URI uri = new URI(t);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawPath() == null
                    || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            int port = uri.getPort() == defaultPort(scheme) ? -1 : uri.getPort();
            return Optional.of(scheme + "://" + name(uri.getHost()) + (port < 0 ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The host (as {@link #name} keeps it, an IPv6 literal in brackets) and port of a {@code Host} header. */
    private record Authority(String host, Optional<Integer> port) {
        static Optional<Authority> parse(String value) {
            String v = value.strip();
            int colon = v.startsWith("[") ? v.indexOf("]:") + 1 : v.lastIndexOf(':');
            if (v.startsWith("[") && !v.endsWith("]") && colon <= 0) return Optional.empty();
            String host = colon > 0 ? v.substring(0, colon) : v;
            Optional<Integer> port = Optional.empty();
            if (colon > 0) {
                String digits = v.substring(colon + 1);
                if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
                    return Optional.empty();
                }
                port = Optional.of(Integer.parseInt(digits));
            }
            if (host.isEmpty()) return Optional.empty();
            return Optional.of(new Authority(name(host), port));
        }
    }
}
