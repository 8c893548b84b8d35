package dev.refinery.adapters.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 by hand, for what a well-behaved client cannot send: lying lengths, endless chunks, bad escapes. */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;

    RawHttp(URI base) throws IOException {
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
    }

    RawHttp write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    RawHttp chunk(String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return write(Integer.toHexString(bytes.length) + "\r\n" + data + "\r\n");
    }

    /** The status line, headers and as much of the body as arrives before the server closes or goes quiet. */
    String response() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int contentLength = -1;
        int headerEnd = -1;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (java.net.SocketException e) {
                break;  // reset by the server after it answered
            }
            if (n < 0) break;
            received.write(buffer, 0, n);
            String text = received.toString(StandardCharsets.UTF_8);
            if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                var m = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text);
                if (m.find()) contentLength = Integer.parseInt(m.group(1));
            }
            if (headerEnd >= 0 && contentLength >= 0 && received.size() >= headerEnd + 4 + contentLength) break;
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    static String body(String response) {
        int end = response.indexOf("\r\n\r\n");
        return end < 0 ? "" : response.substring(end + 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
