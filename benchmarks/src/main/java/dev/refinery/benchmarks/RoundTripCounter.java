package dev.refinery.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between the server and PostgreSQL that counts database round trips: the frontend's sync points,
 * Sync (extended protocol) and Query (simple protocol), after which it sent nothing more — where it waits for the
 * server. A sync point followed at once by more messages is not a wait: pgjdbc sends a transaction's BEGIN as a
 * Query in the same write as the first statement after it. The server must connect with {@code sslmode=disable} so
 * that the messages can be read.
 */
final class RoundTripCounter implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final AtomicLong roundTrips = new AtomicLong();

    RoundTripCounter(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    long roundTrips() {
        return roundTrips.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket server = new Socket(targetHost, targetPort);
                server.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> frontend(client, server));
                Thread.ofVirtual().start(() -> pipe(server, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Client to server, reading message boundaries: the startup packets have no type byte, the rest do. */
    private void frontend(Socket client, Socket server) {
        try (client; server; InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            boolean startup = true;
            byte[] header = new byte[5];
            while (true) {
                if (startup) {
                    byte[] len = in.readNBytes(4);
                    if (len.length < 4) return;
                    int n = int32(len, 0);
                    byte[] rest = in.readNBytes(n - 4);
                    out.write(len);
                    out.write(rest);
                    out.flush();
                    int code = int32(rest, 0);
                    // SSLRequest / GSSENCRequest are followed by another untyped startup packet
                    startup = code == 80877103 || code == 80877104;
                    continue;
                }
                if (in.readNBytes(header, 0, 5) < 5) return;
                int n = int32(header, 1);
                byte[] body = in.readNBytes(n - 4);
                // nothing more from the client already here: it waits for the answer
                if ((header[0] == 'S' || header[0] == 'Q') && in.available() == 0) roundTrips.incrementAndGet();
                out.write(header);
                out.write(body);
                if (header[0] == 'S' || header[0] == 'Q' || header[0] == 'X' || header[0] == 'H' || header[0] == 'c'
                        || header[0] == 'p' || header[0] == 'd' || header[0] == 'f') out.flush();
            }
        } catch (IOException e) {
            // a side closed
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
