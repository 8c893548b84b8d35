package dev.refinery.adapters.temporal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.adapters.inmemory.InMemoryVibeLedger;
import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.ProcessUseCases;
import dev.refinery.application.process.RunService;
import dev.refinery.application.process.SagaInstance;
import dev.refinery.application.process.StepService;
import dev.refinery.application.read.Queries;
import dev.refinery.application.read.ReadService;
import dev.refinery.application.refine.RefineCommand;
import dev.refinery.application.refine.RefineOutcome;
import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.application.refine.VibeDraft;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.process.RunLimits;
import dev.refinery.domain.schema.SchemaResolver;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The process machinery for real, in one JVM: the in-memory ledger, the application services, the workflow and
 * its activities on a time-skipping {@link TestWorkflowEnvironment}, a separate worker serving the
 * {@code scoring} task queue, and an HTTP capability server on 127.0.0.1.
 */
abstract class ProcessTestBed {
    static final VibeRef ROOT = InMemoryVibeLedger.ROOT_ROLE;
    static final BranchName MAIN = BranchName.MAIN;
    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true);

    protected final Clock clock = Clock.systemUTC();
    protected InMemoryVibeLedger ledger;
    protected RefineService refine;
    protected ReadService read;
    protected RunService runs;
    protected ProcessService processes;
    protected StepService steps;
    protected LocalHttpCapability http;
    protected ScoringActivities.Served scoring;
    protected TestWorkflowEnvironment env;

    @BeforeEach
    void wire() throws IOException {
        ledger = new InMemoryVibeLedger(clock);
        SchemaResolver resolver = new SchemaResolver();
        SchemaValidator validator = new SchemaValidator();
        refine = new RefineService(ledger, clock, resolver, validator, 100, RefineService.DEFAULT_DRY_RUN_IMPACT_LIMIT,
                BranchWritePolicy.PROTECTING_MAIN, TemporalWorkerHost.internalActivities(TemporalWorkerHost.DEFAULT_TASK_QUEUE));
        read = new ReadService(ledger, clock, resolver);
        runs = new RunService(ledger, refine, clock, limits());
        http = new LocalHttpCapability();
        steps = new StepService(ledger, resolver, validator, new JdkHttpCapabilityClient(
                Set.of("http://127.0.0.1:" + http.port()), Duration.ofSeconds(2), Duration.ofSeconds(1), 10_000), limits());
        env = TestWorkflowEnvironment.newInstance();
        TemporalWorkerHost.register(env::newWorker, TemporalWorkerHost.DEFAULT_TASK_QUEUE, ports(RunPorts.of(runs, steps)));
        scoring = new ScoringActivities.Served();
        env.newWorker(ScoringActivities.TASK_QUEUE).registerActivitiesImplementations(scoring);
        env.start();
        processes = new ProcessService(ledger, new TemporalProcessEngine(env.getWorkflowClient(),
                TemporalWorkerHost.DEFAULT_TASK_QUEUE), clock, resolver, validator, UUID::randomUUID,
                BranchWritePolicy.PROTECTING_MAIN, TemporalWorkerHost.internalActivities(TemporalWorkerHost.DEFAULT_TASK_QUEUE));
    }

    /** How large a run's data may grow. */
    protected RunLimits limits() {
        return RunLimits.DEFAULT;
    }

    /** What the worker's activities delegate to: the real use cases, unless a test stands in for some. */
    protected RunPorts ports(RunPorts real) {
        return real;
    }

    @AfterEach
    void shutDown() {
        env.close();
        http.close();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    Vibe write(String id, Kind kind, String context, String schema, String solution) {
        RefineOutcome outcome = refine.refine(new RefineCommand(MAIN, ROOT, "test", Optional.empty(), List.of(),
                List.of(), List.of(), false, List.of(VibeDraft.of(new VibeId(id), kind, json(context), json(schema),
                json(solution)))));
        return assertInstanceOf(RefineOutcome.Written.class, outcome, () -> "expected Written, got " + outcome)
                .vibes().getFirst().vibe();
    }

    Vibe capability(String id, String executor) {
        return write(id, Kind.CAPABILITY, executor, "{}", "{}");
    }

    Vibe builtin(String id, String function) {
        return capability(id, "{'executor': 'builtin', 'function': '" + function + "'}");
    }

    Vibe process(String id, String context, String inputSchema) {
        return process(id, context, inputSchema, "{}");
    }

    /** A process's solution must satisfy its schema, the run input's schema: it serves as an example input. */
    Vibe process(String id, String context, String inputSchema, String exampleInput) {
        return write(id, Kind.PROCESS, context, inputSchema, exampleInput);
    }

    Vibe budget(String id, String solution) {
        return write(id, Kind.RECORD, "{}", "{}", solution);
    }

    ProcessUseCases.StartOutcome start(String process, String input, String... budgets) {
        return processes.start(new ProcessUseCases.StartProcess(AugUri.parse(process), MAIN, json(input),
                Optional.empty(), Arrays.stream(budgets).map(AugUri::parse).toList(), Optional.empty(), ROOT));
    }

    UUID started(ProcessUseCases.StartOutcome outcome) {
        return assertInstanceOf(ProcessUseCases.StartOutcome.Started.class, outcome,
                () -> "expected Started, got " + outcome).saga().id();
    }

    /**
     * Waits for the run's workflow to end (time skips meanwhile) and answers how the saga ended: a cancelled
     * workflow closes as CANCELED in Temporal even when it returns, so the saga is the one truth.
     */
    Payloads.RunOutcome await(UUID sagaId) {
        try {
            client().newUntypedWorkflowStub(sagaId.toString()).getResult(Payloads.RunOutcome.class);
        } catch (WorkflowFailedException e) {
            if (!(e.getCause() instanceof CanceledFailure)) throw e;
        }
        SagaInstance saga = saga(sagaId);
        return new Payloads.RunOutcome(saga.status().name(), saga.resultRef().map(VibeRef::toString).orElse(null),
                saga.error().orElse(null));
    }

    WorkflowClient client() {
        return env.getWorkflowClient();
    }

    SagaInstance saga(UUID id) {
        return processes.get(id).orElseThrow();
    }

    List<Refinement> refinements(RefinementKind kind) {
        return read.list(new Queries.ListRefinements(Optional.empty(), Optional.empty(), 1000, Optional.empty()))
                .items().stream().filter(r -> r.kind() == kind).toList();
    }

    List<Vibe> heads(String prefix) {
        return read.list(new Queries.ListHeads(MAIN, prefix, Optional.empty(), 1000, Optional.empty())).orElseThrow().items();
    }
}
