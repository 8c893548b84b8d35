package dev.refinery.adapters.temporal;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The Temporal test server, in this process, listening on 127.0.0.1 only: the embedded default behind
 * {@code refinery serve} and {@code refinery temporal-dev}. Workers of other processes (any SDK) connect to
 * {@link #target()}. It keeps everything in memory: what it ran is gone when it stops, so the saga store is
 * what a restart resumes from.
 *
 * <p>{@code TestServer.createPortBoundServer} would listen on every interface; this builds the same server
 * (the test services and gRPC's health checks) on a Netty server bound to loopback, with the SDK's internal
 * {@code TestServicesStarter} and {@code GRPCServerHelper}: internal API, hence Temporal's pinned version and
 * {@code EmbeddedTemporalTest}. Time is real (time skipping locked), as a server for real runs needs.
 */
public final class EmbeddedTemporal implements AutoCloseable {
    public static final String NAMESPACE = "default";

    private final TestServicesStarter services;
    private final Server server;
    private final int port;

    private EmbeddedTemporal(TestServicesStarter services, Server server) {
        this.services = services;
        this.server = server;
        this.port = ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
    }

    /** Starts on 127.0.0.1:{@code port}; port 0 picks a free one ({@link #port()} tells which). */
    public static EmbeddedTemporal start(int port) {
        TestServicesStarter services = new TestServicesStarter(true, 0);
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(loopback(), port));
            GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
            return new EmbeddedTemporal(services, builder.build().start());
        } catch (IOException e) {
            services.close();
            throw new UncheckedIOException("the embedded Temporal server cannot listen on 127.0.0.1:" + port, e);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[]{127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("127.0.0.1 is a valid address", e);
        }
    }

    public int port() {
        return port;
    }

    /** What clients and workers connect to: {@code 127.0.0.1:PORT}. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    /** The addresses the server listens on (one: 127.0.0.1:PORT). */
    public List<? extends SocketAddress> listenAddresses() {
        return server.getListenSockets();
    }

    /** Service stubs connected to this server (close them before the server). */
    public WorkflowServiceStubs newServiceStubs() {
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            services.close();
        }
    }
}
