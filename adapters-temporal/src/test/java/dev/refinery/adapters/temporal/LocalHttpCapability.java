package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP capability server on 127.0.0.1 for tests: {@code /score} answers {@code {"score": length of input.name}},
 * {@code /undo} answers {@code {}}, {@code /down} answers 503, {@code /missing} 404, {@code /huge} a large body,
 * {@code /text} a non-JSON body, {@code /slow} after two seconds, {@code /drip} its body a byte at a time. Every call is kept.
 */
final class LocalHttpCapability implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Call(String path, JsonNode body, String idempotencyKey) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger downAnswers = new AtomicInteger();
    private final HttpServer server;

    LocalHttpCapability() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<Call> callsTo(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] in = exchange.getRequestBody().readAllBytes();
            JsonNode body = in.length == 0 ? null : JSON.readTree(in);
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(path, body, exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            switch (path) {
                case "/score" -> send(exchange, 200, "{\"score\": " + body.path("name").asText().length() + "}");
                case "/undo" -> send(exchange, 200, "{}");
                case "/down" -> {
                    downAnswers.incrementAndGet();
                    send(exchange, 503, "try later");
                }
                case "/huge" -> send(exchange, 200, "[" + "1,".repeat(100_000) + "1]");
                case "/text" -> send(exchange, 200, "hello");
                case "/slow" -> {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(exchange, 200, "{}");
                }
                case "/drip" -> drip(exchange);
                default -> send(exchange, 404, "no such capability");
            }
        }
    }

    /**
     * Headers at once, then a byte of a valid JSON answer every 100 ms, for about {@value #DRIP_BYTES} / 10 seconds;
     * {@link #drips} completes with whether the whole answer went out (false: the client hung up).
     */
    private void drip(HttpExchange exchange) {
        boolean sent = false;
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, DRIP_BYTES);
            byte[] answer = ("\"" + "d".repeat(DRIP_BYTES - 2) + "\"").getBytes(StandardCharsets.US_ASCII);
            for (byte b : answer) {
                exchange.getResponseBody().write(b);
                exchange.getResponseBody().flush();
                Thread.sleep(100);
            }
            sent = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client hung up: what its deadline is for
        } finally {
            drips.complete(sent);
        }
    }

    final java.util.concurrent.CompletableFuture<Boolean> drips = new java.util.concurrent.CompletableFuture<>();
    static final int DRIP_BYTES = 100;

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
