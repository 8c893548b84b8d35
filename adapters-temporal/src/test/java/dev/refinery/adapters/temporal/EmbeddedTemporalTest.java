package dev.refinery.adapters.temporal;

import dev.refinery.adapters.inmemory.InMemoryVibeLedger;
import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.RunService;
import dev.refinery.application.process.SagaStatus;
import dev.refinery.application.process.StepService;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.refinery.adapters.temporal.ProcessTestBed.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded server: on 127.0.0.1 only, and a real Temporal frontend for clients and workers outside it. */
class EmbeddedTemporalTest {

    /** The bound addresses are the proof; the test sends nothing but to 127.0.0.1. */
    @Test
    void itListensOnLoopbackOnly() throws IOException {
        try (EmbeddedTemporal server = EmbeddedTemporal.start(0)) {
            List<? extends SocketAddress> addresses = server.listenAddresses();

            assertEquals(1, addresses.size());
            InetSocketAddress address = (InetSocketAddress) addresses.getFirst();
            assertEquals(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), address.getAddress());
            assertTrue(server.port() > 0);
            assertEquals("127.0.0.1:" + server.port(), server.target());
            try (Socket loopback = new Socket("127.0.0.1", server.port())) {
                assertTrue(loopback.isConnected());
            }
        }
    }

    @Test
    void aClientAndAWorkerOfAnotherProcessRunAProcessThroughIt() {
        Clock clock = Clock.systemUTC();
        InMemoryVibeLedger ledger = new InMemoryVibeLedger(clock);
        SchemaResolver resolver = new SchemaResolver();
        SchemaValidator validator = new SchemaValidator();
        RefineService refine = new RefineService(ledger, clock, resolver, validator, 100);
        refine.refine(new RefineCommand(BranchName.MAIN, InMemoryVibeLedger.ROOT_ROLE, "setup", Optional.empty(),
                List.of(), List.of(), List.of(), false, List.of(
                VibeDraft.of(new VibeId("capabilities/echo"), Kind.CAPABILITY,
                        json("{'executor': 'builtin', 'function': 'echo'}"), json("{}"), json("{}")),
                VibeDraft.of(new VibeId("processes/echo"), Kind.PROCESS, json(
                        "{'steps': [{'name': 'echo', 'capability': 'aug:/capabilities/echo'}], "
                                + "'result': {'$from': '/steps/echo/output'}}"), json("{}"), json("{}")))));

        try (EmbeddedTemporal server = EmbeddedTemporal.start(0);
             TemporalConnection worker = TemporalConnection.connect(server.target(), EmbeddedTemporal.NAMESPACE);
             TemporalWorkerHost host = TemporalWorkerHost.start(worker.client(), TemporalWorkerHost.DEFAULT_TASK_QUEUE,
                     runPorts(ledger, clock));
             TemporalConnection caller = TemporalConnection.connect(server.target(), EmbeddedTemporal.NAMESPACE)) {
            ProcessService processes = new ProcessService(ledger, new TemporalProcessEngine(caller.client(),
                    TemporalWorkerHost.DEFAULT_TASK_QUEUE), clock, resolver, validator);

            UUID id = assertInstanceOf(ProcessUseCases.StartOutcome.Started.class, processes.start(
                    new ProcessUseCases.StartProcess(AugUri.parse("aug:/processes/echo"), BranchName.MAIN,
                            json("{'hello': 'world'}"), Optional.empty(), List.of(), Optional.empty(),
                            InMemoryVibeLedger.ROOT_ROLE))).saga().id();
            Payloads.RunOutcome outcome = caller.client().newUntypedWorkflowStub(id.toString())
                    .getResult(Payloads.RunOutcome.class);

            assertEquals("COMPLETED", outcome.status());
            assertEquals(SagaStatus.COMPLETED, processes.get(id).orElseThrow().status());
            assertEquals(json("{'hello': 'world'}"), ledger.read(tx -> tx.vibe(
                    dev.refinery.domain.VibeRef.parse(outcome.resultRef()))).orElseThrow().solution());
        }
    }

    /**
     * What the server does when it stops: its worker, then its connection, then the embedded server. The worker's
     * shutdown sends the server a ShutdownWorker call that the embedded server does not answer; closing the
     * connection gracefully left it open until the server went away, and the SDK logged its cancellation as a
     * warning with a stack trace on every stop. And a worker reports heartbeats, which the embedded server does not
     * take (the SDK warned of that too): the server's connection to it asks for none.
     */
    @Test
    void stoppingTheWorkerItsConnectionAndTheServerInThatOrderLogsNoWarning() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        EmbeddedTemporal server = EmbeddedTemporal.start(0);
        TemporalConnection connection = TemporalConnection.connect(server.target(), EmbeddedTemporal.NAMESPACE, false);
        TemporalWorkerHost host = TemporalWorkerHost.start(connection.client(), TemporalWorkerHost.DEFAULT_TASK_QUEUE,
                runPorts(new InMemoryVibeLedger(clock), clock));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
        try {
            host.close();
            connection.close();
            server.close();
            Thread.sleep(1_000); // the SDK logs a failed call from a gRPC thread, after the call ends
        } finally {
            System.setErr(err);
        }

        String text = log.toString(StandardCharsets.UTF_8);
        // nor that the embedded server takes no worker heartbeats: the server's connection to it sends none
        assertFalse(text.contains("WARN") || text.contains("Exception"), text);
    }

    /** What a worker of Refinery's task queue needs, over {@code ledger}. */
    private static RunPorts runPorts(InMemoryVibeLedger ledger, Clock clock) {
        SchemaResolver resolver = new SchemaResolver();
        SchemaValidator validator = new SchemaValidator();
        return RunPorts.of(new RunService(ledger, new RefineService(ledger, clock, resolver, validator, 100), clock),
                new StepService(ledger, resolver, validator,
                        new JdkHttpCapabilityClient(Set.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), 1_000)));
    }
}
