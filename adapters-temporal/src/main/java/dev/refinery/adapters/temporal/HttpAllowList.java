package dev.refinery.adapters.temporal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where http capabilities may POST: entries {@code scheme://host:port}, each naming a scheme ({@code http} or
 * {@code https}), a host and a port (the scheme's default when left out: {@code https://api.example.com} is
 * {@code https://api.example.com:443}). A URL is allowed when its scheme, host and port are those of an entry, so
 * that allowing {@code https://api.example.com} allows neither plain http to it nor another of its ports.
 *
 * <p>The forms {@code host} and {@code host:port} of earlier versions, which allowed every scheme (and every port),
 * are refused with a message saying what to write instead.
 */
public final class HttpAllowList {
    /** One allowed origin. */
    record Entry(String scheme, String host, int port) {
        @Override
        public String toString() {
            return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final Set<Entry> entries;

    private HttpAllowList(Set<Entry> entries) {
        this.entries = entries;
    }

    /**
     * @throws IllegalArgumentException naming the first entry that is not {@code scheme://host[:port]}, and why
     */
    public static HttpAllowList parse(Collection<String> entries) {
        return new HttpAllowList(entries.stream().map(String::strip).filter(e -> !e.isEmpty())
                .map(HttpAllowList::entry).collect(Collectors.toUnmodifiableSet()));
    }

    private static Entry entry(String text) {
        if (!text.contains("://")) {
            throw new IllegalArgumentException("refinery.processes.http-allow: \"" + text + "\" names no scheme; an entry "
                    + "is scheme://host[:port] now, e.g. https://" + text + " or http://" + text
                    + " (a bare host or host:port no longer allows every scheme and port)");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("refinery.processes.http-allow: \"" + text + "\" is not scheme://host[:port]: "
                    + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
            throw new IllegalArgumentException("refinery.processes.http-allow: \"" + text + "\" is not "
                    + "scheme://host[:port] with scheme http or https (and no path, query or user)");
        }
        return new Entry(scheme, host(uri), port(uri));
    }

    /** Whether {@code uri} (absolute, http or https, with a host) is on the list. */
    public boolean allows(URI uri) {
        return entries.contains(new Entry(uri.getScheme().toLowerCase(Locale.ROOT), host(uri), port(uri)));
    }

    private static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return entries.stream().map(Entry::toString).sorted().collect(Collectors.joining(", "));
    }
}
