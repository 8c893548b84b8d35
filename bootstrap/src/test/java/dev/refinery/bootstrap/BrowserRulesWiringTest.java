package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** refinery.http.allowed-hosts and the browser rules reach the server that `refinery serve` starts. */
class BrowserRulesWiringTest {

    /** The status of one request sent by hand (the JDK client will not send another Host). */
    private static int status(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String line = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    @Test
    void listedNamesAndLoopbackAreAnsweredOtherNamesAndUntypedBodiesAreNot(@TempDir Path dataDir) throws IOException {
        Settings settings = Settings.load(Optional.empty(), Map.of("REFINERY_HTTP_ALLOWED_HOSTS", "refinery.example"),
                Map.of("refinery.data-dir", dataDir.toString(), "refinery.http.port", "0",
                        "refinery.temporal.port", "0"));
        try (RefineryServer server = RefineryServer.start(settings)) {
            int port = server.port();
            String body = "{\"branch\":\"main\",\"vibes\":[{\"id\":\"a\",\"kind\":\"RECORD\"}]}";

            assertEquals(200, status(port, "GET /observe/health HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n"));
            assertEquals(200, status(port, "GET /observe/health HTTP/1.1\r\nHost: refinery.example\r\n"
                    + "Connection: close\r\n\r\n"));
            assertEquals(421, status(port, "GET /observe/health HTTP/1.1\r\nHost: rebind.example:" + port
                    + "\r\nConnection: close\r\n\r\n"));
            assertEquals(415, status(port, "POST /v1/refinements HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body));
            assertEquals(403, status(port, "POST /v1/refinements HTTP/1.1\r\nHost: localhost\r\n"
                    + "Origin: http://attacker.example\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body));
        }
    }

    @Test
    void aListedHostThatIsNoNameStopsTheStartBeforeAnythingRuns(@TempDir Path dataDir) {
        Settings settings = Settings.load(Optional.empty(), Map.of(), Map.of("refinery.data-dir", dataDir.toString(),
                "refinery.http.allowed-hosts", "refinery.example:8080"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RefineryServer.start(settings));

        assertTrue(e.getMessage().contains("refinery.http.allowed-hosts"), e.getMessage());
        assertTrue(!dataDir.resolve("postgres").toFile().exists() && dataDir.toFile().list().length == 0,
                "something was started in " + dataDir);
    }
}
