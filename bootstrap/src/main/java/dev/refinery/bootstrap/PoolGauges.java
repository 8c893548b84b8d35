package dev.refinery.bootstrap;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;

/** The connection pools' use on /observe/metrics, read from the MBeans Hikari publishes for them. */
final class PoolGauges {
    private PoolGauges() {}

    /** The gauges of the Hikari pool {@code poolName}, tagged {@code pool=role} (writes, reads). */
    static void register(MeterRegistry registry, String poolName, String role) {
        ObjectName pool;
        try {
            pool = new ObjectName("com.zaxxer.hikari:type=Pool (" + poolName + ")");
        } catch (JMException e) {
            throw new IllegalArgumentException("bad pool name " + poolName, e);
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        gauge(registry, server, pool, role, "refinery.db.pool.active", "ActiveConnections", "connections in use");
        gauge(registry, server, pool, role, "refinery.db.pool.idle", "IdleConnections", "connections open and free");
        gauge(registry, server, pool, role, "refinery.db.pool.total", "TotalConnections", "connections open");
        gauge(registry, server, pool, role, "refinery.db.pool.pending", "ThreadsAwaitingConnection",
                "requests waiting for a connection");
    }

    private static void gauge(MeterRegistry registry, MBeanServer server, ObjectName pool, String role, String name,
                              String attribute, String description) {
        registry.getOrCreate(Gauge.builder(name, () -> read(server, pool, attribute)).description(description)
                .tags(List.of(Tag.create("pool", role))));
    }

    /** -1 while the pool is not there (not started yet, or closed). */
    private static Integer read(MBeanServer server, ObjectName pool, String attribute) {
        try {
            return ((Number) server.getAttribute(pool, attribute)).intValue();
        } catch (JMException | RuntimeException e) {
            return -1;
        }
    }
}
