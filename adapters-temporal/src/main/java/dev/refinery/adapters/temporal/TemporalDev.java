package dev.refinery.adapters.temporal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code refinery temporal-dev}: the embedded Temporal server alone, on 127.0.0.1, until the process ends. */
public final class TemporalDev {
    public static final int DEFAULT_PORT = 7233;
    private static final Logger LOG = LoggerFactory.getLogger(TemporalDev.class);

    private TemporalDev() {}

    /** Serves on 127.0.0.1:{@code port} until interrupted or the JVM shuts down. */
    public static void serve(int port) throws InterruptedException {
        EmbeddedTemporal server = EmbeddedTemporal.start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "temporal-dev-shutdown"));
        LOG.info("Temporal test server listening on {} (namespace {}); everything it holds is lost when it stops",
                server.target(), EmbeddedTemporal.NAMESPACE);
        System.out.println("Temporal dev server on " + server.target() + ", namespace " + EmbeddedTemporal.NAMESPACE);
        server.awaitTermination();
    }

    public static void main(String[] args) throws InterruptedException {
        serve(args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT);
    }
}
