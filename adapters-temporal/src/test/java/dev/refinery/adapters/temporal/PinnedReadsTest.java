package dev.refinery.adapters.temporal;

import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.RunService;
import dev.refinery.application.process.RunUseCases;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A run's state changes read the vibes it pinned (its process, its capabilities) once: they never change. */
class PinnedReadsTest extends ProcessTestBed {

    /** The ledger, counting the reads of each vibe by ref. */
    private static final class CountingLedger implements VibeLedger {
        final Map<VibeRef, Integer> reads = new ConcurrentHashMap<>();
        private final VibeLedger ledger;

        CountingLedger(VibeLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public <T> T inTransaction(UnitOfWork<T> work) {
            return ledger.inTransaction(tx -> work.run(counting(tx)));
        }

        private LedgerTransaction counting(LedgerTransaction tx) {
            return (LedgerTransaction) Proxy.newProxyInstance(LedgerTransaction.class.getClassLoader(),
                    new Class<?>[]{LedgerTransaction.class}, (proxy, method, args) -> {
                        if (method.getName().equals("vibe")) reads.merge((VibeRef) args[0], 1, Integer::sum);
                        try {
                            return method.invoke(tx, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @Test
    void loadingAPlanAndRecordingStepsReadTheProcessAndItsCapabilitiesOnce() {
        Vibe echo = builtin("capabilities/echo", "echo");
        Vibe two = process("processes/two", """
                {'steps': [{'name': 'a', 'capability': 'aug:/capabilities/echo'},
                           {'name': 'b', 'capability': 'aug:/capabilities/echo', 'compensate': 'aug:/capabilities/echo'}],
                 'result': {}}""", "{}");
        UUID id = assertInstanceOf(ProcessUseCases.StartOutcome.Started.class, new ProcessService(ledger,
                new TemporalProcessEngine(client(), "nobody-serves-this"), clock, new SchemaResolver(), new SchemaValidator())
                .start(new ProcessUseCases.StartProcess(AugUri.parse("aug:/processes/two"), MAIN, json("{}"),
                        Optional.empty(), List.of(), Optional.empty(), ROOT))).saga().id();
        CountingLedger counting = new CountingLedger(ledger);
        RunService counted = new RunService(counting, refine, clock);

        counted.load(id).orElseThrow();
        counted.record(new RunUseCases.RecordStepOutput(id, "a", json("{'v': 1}")));
        counted.load(id).orElseThrow();
        counted.record(new RunUseCases.RecordStepOutput(id, "b", json("{'v': 2}")));

        assertEquals(Map.of(two.ref(), 1, echo.ref(), 1), counting.reads);
        assertEquals(List.of("a", "b"), List.copyOf(saga(id).outputs().keySet()));
    }
}
