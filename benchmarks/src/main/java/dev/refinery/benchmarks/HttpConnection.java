package dev.refinery.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection, written by hand over a socket: cheap on the client side (the
 * client shares the machine's two cores with the server and PostgreSQL), and able to send what a
 * well-behaved client refuses to (bad request lines, raw bytes, any header). Reconnects when the
 * server closed the connection. Not thread-safe: one per client thread.
 */
final class HttpConnection implements AutoCloseable {
    /** An answer: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        boolean isProblem() {
            return header("content-type").startsWith("application/problem+json");
        }
    }

    /** No answer in time: the server hangs (or the machine is badly overloaded). */
    static final class TimeoutException extends IOException {
        TimeoutException(String message) {
            super(message);
        }
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    Response get(String target) throws IOException {
        return send("GET", target, null, Map.of());
    }

    Response post(String target, String json) throws IOException {
        return send("POST", target, json.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
    }

    /** One request; {@code headers} may hold a {@code Host} of its own. */
    Response send(String method, String target, byte[] body, Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        // a Host among the headers replaces the one this connection would send (rel-hostile's DNS-rebinding checks)
        if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Host"))) {
            head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        return exchange(headBytes, body, true);
    }

    /** Sends bytes exactly as given (a whole request, well-formed or not) and reads one answer. */
    Response raw(byte[] request) throws IOException {
        return exchange(request, null, false);
    }

    private Response exchange(byte[] head, byte[] body, boolean retryOnStale) throws IOException {
        boolean reused = socket != null;
        try {
            connectIfNeeded();
            try {
                out.write(head);
                if (body != null) out.write(body);
                out.flush();
            } catch (IOException writeFailed) {
                // the server may have answered early (413) and closed before taking the whole body
                if (!reused || !retryOnStale) {
                    try {
                        return read();
                    } catch (IOException noAnswer) {
                        throw writeFailed;
                    }
                }
                throw writeFailed;
            }
            return read();
        } catch (SocketTimeoutException e) {
            close();
            throw new TimeoutException("no answer within " + timeoutMillis + " ms");
        } catch (IOException e) {
            close();
            // a kept-alive connection the server had closed meanwhile: once more on a new one
            if (reused && retryOnStale && !(e instanceof TimeoutException)) return exchange(head, body, false);
            throw e;
        }
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) return;
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    private Response read() throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String statusLine = line();
        if (statusLine == null) throw new IOException("the server closed the connection without an answer");
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon > 0) headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
            body = chunked(deadline);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
            close();
        }
        if (System.nanoTime() > deadline) {
            close();
            throw new TimeoutException("the answer took longer than " + timeoutMillis + " ms");
        }
        if (headers.getOrDefault("connection", "").equalsIgnoreCase("close")) close();
        return new Response(status, headers, body);
    }

    private byte[] chunked(long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            if (System.nanoTime() > deadline) throw new TimeoutException("the chunked answer did not end in time");
            String size = line();
            if (size == null) throw new IOException("the chunked answer ended early");
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line();
        }
    }

    /** A header line without its CRLF, or null at the end of the stream. */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort
        }
        socket = null;
        in = null;
        out = null;
    }
}
