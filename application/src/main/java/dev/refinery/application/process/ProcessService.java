package dev.refinery.application.process;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.auth.Principal;
import dev.refinery.application.idempotency.IdempotencyPolicy;
import dev.refinery.application.idempotency.IdempotencyPolicy.Repeat;
import dev.refinery.application.idempotency.IdempotencyPolicy.Space;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.application.port.ProcessEngine;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.process.ProcessUseCases.CancelOutcome;
import dev.refinery.application.process.ProcessUseCases.ListProcesses;
import dev.refinery.application.process.ProcessUseCases.StartOutcome;
import dev.refinery.application.process.ProcessUseCases.StartProcess;
import dev.refinery.application.read.Page;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.StorableText;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;
import dev.refinery.domain.process.Budget;
import dev.refinery.domain.process.CapabilitySpec;
import dev.refinery.domain.process.InternalActivities;
import dev.refinery.domain.process.Parsed;
import dev.refinery.domain.process.ProcessDefinition;
import dev.refinery.domain.schema.SchemaClosure;
import dev.refinery.domain.schema.SchemaResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Starting, reading, listing, cancelling and resuming process runs: see {@link ProcessUseCases}. */
public final class ProcessService implements ProcessUseCases.StartProcessUseCase, ProcessUseCases.GetProcessUseCase,
        ProcessUseCases.ListProcessesUseCase, ProcessUseCases.CancelProcessUseCase, ProcessUseCases.ResumeRunningUseCase {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessService.class);
    private static final int RESUME_PAGE = 100;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final VibeLedger ledger;
    private final ProcessEngine engine;
    private final Clock clock;
    private final SchemaResolver resolver;
    private final SchemaValidator validator;
    private final Supplier<UUID> ids;
    private final BranchWritePolicy branchWrites;
    private final InternalActivities internalActivities;

    public ProcessService(VibeLedger ledger, ProcessEngine engine, Clock clock, SchemaResolver resolver,
                          SchemaValidator validator) {
        this(ledger, engine, clock, resolver, validator, UUID::randomUUID);
    }

    public ProcessService(VibeLedger ledger, ProcessEngine engine, Clock clock, SchemaResolver resolver,
                          SchemaValidator validator, Supplier<UUID> ids) {
        this(ledger, engine, clock, resolver, validator, ids, BranchWritePolicy.PROTECTING_MAIN, InternalActivities.NONE);
    }

    /**
     * @param branchWrites       who may write which branch: a run writes its result to the branch it runs on
     * @param internalActivities the task queues and activity types no capability may name: refused at write, and
     *                           again here for capabilities written before the rule
     */
    public ProcessService(VibeLedger ledger, ProcessEngine engine, Clock clock, SchemaResolver resolver,
                          SchemaValidator validator, Supplier<UUID> ids, BranchWritePolicy branchWrites,
                          InternalActivities internalActivities) {
        this.branchWrites = branchWrites;
        this.internalActivities = internalActivities;
        this.ledger = ledger;
        this.engine = engine;
        this.clock = clock;
        this.resolver = resolver;
        this.validator = validator;
        this.ids = ids;
    }

    @Override
    public StartOutcome start(StartProcess command) {
        Optional<BranchWritePolicy.Refusal> refused = branchWrites.check(command.caller(), command.branch());
        if (refused.isPresent()) return new StartOutcome.Forbidden(refused.get());
        UUID id = ids.get();
        StartOutcome outcome = ledger.inTransaction(tx -> new Start(tx, command, id).run());
        // The saga is committed RUNNING before the engine hears of it: if this process dies in between, or
        // the engine cannot be reached, resuming starts it. Starting twice is a no-op in the engine.
        switch (outcome) {
            case StartOutcome.Started s -> handOver(s.saga().id());
            case StartOutcome.Replayed r when r.saga().status() == SagaStatus.RUNNING -> handOver(r.saga().id());
            default -> { }
        }
        return outcome;
    }

    private boolean handOver(UUID sagaId) {
        try {
            engine.start(sagaId);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("the process engine did not take run {}; it stays RUNNING and is started on resume", sagaId, e);
            return false;
        }
    }

    /** One try at starting a run, inside one unit of work. */
    private final class Start {
        private final LedgerTransaction tx;
        private final StartProcess command;
        private final UUID id;
        private final List<Violation> violations = new ArrayList<>();

        Start(LedgerTransaction tx, StartProcess command, UUID id) {
            this.tx = tx;
            this.command = command;
            this.id = id;
        }

        StartOutcome run() {
            Optional<Digest> requestDigest = command.idempotencyKey().map(k -> command.requestDigest());
            if (command.idempotencyKey().isPresent()) {
                String key = command.idempotencyKey().get();
                tx.lockIdempotencyKey(IdempotencyPolicy.lockName(Space.PROCESSES, command.author(), key));
                Optional<SagaInstance> first = tx.sagas().findByIdempotencyKey(command.author(), key);
                if (first.isPresent()) {
                    return IdempotencyPolicy.repeat(first.get().requestDigest(), requestDigest.get()) == Repeat.RETRY
                            ? new StartOutcome.Replayed(first.get()) : new StartOutcome.KeyReused(key, first.get());
                }
            }
            if (tx.branch(command.branch()).isEmpty()) return new StartOutcome.NotFound("branch " + command.branch());
            Optional<Vibe> author = tx.vibe(command.author());
            if (author.isEmpty()) return new StartOutcome.NotFound("author " + command.author());
            if (author.get().kind() != Kind.ROLE) {
                return invalid("", "the author " + command.author() + " is a " + author.get().kind() + ", not a ROLE");
            }
            Optional<Vibe> found = Pinned.resolve(tx, command.process(), command.branch());
            if (found.isEmpty()) return new StartOutcome.NotFound("process " + command.process());
            Vibe process = found.get();
            if (process.kind() != Kind.PROCESS) {
                return invalid("/process", command.process() + " is " + process.ref() + ", a " + process.kind()
                        + ", not a PROCESS");
            }
            ProcessDefinition definition;
            switch (ProcessDefinition.parse(process.context())) {
                case Parsed.Valid<ProcessDefinition> v -> definition = v.value();
                case Parsed.Invalid<ProcessDefinition> i -> {
                    i.violations().forEach(v -> violations.add(aboutProcess(process, "context" + v.pointer(), v.message())));
                    return new StartOutcome.Invalid(violations);
                }
            }
            definition.resultSchema().ifPresent(schema -> validator.checkSchema(schema).forEach(v ->
                    violations.add(aboutProcess(process, "context/resultSchema" + v.pointer(), v.message()))));
            ObjectNode capabilities = pinCapabilities(process, definition);
            List<VibeRef> budgetRefs = new ArrayList<>();
            Budget budget = budgets(process, definition, budgetRefs);
            checkInput(process);
            VibeId resultId = resultId(process);
            if (!violations.isEmpty()) return new StartOutcome.Invalid(violations);

            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            ObjectNode context = JSON.objectNode();
            context.set("input", command.input());
            context.putObject("steps");
            context.put("branch", command.branch().value());
            context.put("author", command.author().toString());
            context.put("resultId", resultId.value());
            command.idempotencyKey().ifPresent(k -> context.put("idempotencyKey", k));
            requestDigest.ifPresent(d -> context.put("requestDigest", d.value()));
            ArrayNode refs = context.putArray("budgetRefs");
            budgetRefs.forEach(r -> refs.add(r.toString()));
            context.set("budget", budget.toJson());
            context.set("capabilities", capabilities);
            SagaInstance saga = new SagaInstance(id, process.ref(), definition.steps().getFirst().name(),
                    SagaStatus.RUNNING, context, id.toString(), 0, now, now);
            tx.sagas().insert(saga);
            return new StartOutcome.Started(saga);
        }

        private StartOutcome invalid(String pointer, String message) {
            return new StartOutcome.Invalid(List.of(new Violation(pointer, message)));
        }

        private Violation aboutProcess(Vibe process, String where, String message) {
            return new Violation("/process", "process " + process.ref() + ", /" + where + ": " + message);
        }

        private ObjectNode pinCapabilities(Vibe process, ProcessDefinition definition) {
            ObjectNode pinned = JSON.objectNode();
            for (AugUri uri : definition.capabilities()) {
                Optional<Vibe> capability = Pinned.resolve(tx, uri, command.branch());
                if (capability.isEmpty()) {
                    violations.add(new Violation("/process", "process " + process.ref() + " calls " + uri
                            + ", which names no vibe on " + command.branch()));
                    continue;
                }
                Vibe c = capability.get();
                if (c.kind() != Kind.CAPABILITY) {
                    violations.add(new Violation("/process", "process " + process.ref() + " calls " + uri + ", which is "
                            + c.ref() + ", a " + c.kind() + ", not a CAPABILITY"));
                    continue;
                }
                if (CapabilitySpec.parse(c.context()) instanceof Parsed.Invalid<CapabilitySpec> i) {
                    i.violations().forEach(v -> violations.add(new Violation("/process", "capability " + c.ref()
                            + ", /context" + v.pointer() + ": " + v.message())));
                    continue;
                }
                List<Violation> refused = internalActivities.refusals(c.context());
                if (!refused.isEmpty()) {
                    refused.forEach(v -> violations.add(new Violation("/process", "capability " + c.ref()
                            + ", /context" + v.pointer() + ": " + v.message())));
                    continue;
                }
                pinned.put(uri.toString(), c.ref().toString());
            }
            return pinned;
        }

        private Budget budgets(Vibe process, ProcessDefinition definition, List<VibeRef> refs) {
            List<Budget> budgets = new ArrayList<>();
            for (int i = 0; i < command.budgets().size(); i++) {
                budget(command.budgets().get(i), "/budgets/" + i, "").ifPresent(b -> {
                    budgets.add(b.budget());
                    refs.add(b.ref());
                });
            }
            for (AugUri uri : definition.budgets()) {
                budget(uri, "/process", "process " + process.ref() + " names budget ").ifPresent(b -> {
                    budgets.add(b.budget());
                    if (!refs.contains(b.ref())) refs.add(b.ref());
                });
            }
            return Budget.tightest(budgets);
        }

        private record PinnedBudget(VibeRef ref, Budget budget) {}

        private Optional<PinnedBudget> budget(AugUri uri, String pointer, String prefix) {
            Optional<Vibe> vibe = Pinned.resolve(tx, uri, command.branch());
            if (vibe.isEmpty()) {
                violations.add(new Violation(pointer, prefix + uri + ": no such vibe on " + command.branch()));
                return Optional.empty();
            }
            return switch (Budget.parse(vibe.get().solution())) {
                case Parsed.Valid<Budget> v -> Optional.of(new PinnedBudget(vibe.get().ref(), v.value()));
                case Parsed.Invalid<Budget> i -> {
                    i.violations().forEach(v -> violations.add(new Violation(pointer, prefix + uri + " is "
                            + vibe.get().ref() + ", not a budget: /solution" + v.pointer() + ": " + v.message())));
                    yield Optional.empty();
                }
            };
        }

        private void checkInput(Vibe process) {
            StorableText.find(command.input(), "/input", violations);
            SchemaClosure closure = tx.closure(process.ref()).orElseThrow(
                    () -> new IllegalStateException("no schema closure for " + process.ref()));
            validator.validate(resolver.bundled(closure), command.input())
                    .forEach(v -> violations.add(v.under("/input")));
        }

        private VibeId resultId(Vibe process) {
            if (command.resultId().isPresent()) return command.resultId().get();
            String id = "runs/" + process.id().value() + "/" + this.id;
            try {
                return new VibeId(id);
            } catch (MalformedTextException e) {
                violations.add(new Violation("/resultId", "the default result id " + id
                        + " is too long: give a resultId"));
                return null;
            }
        }
    }

    @Override
    public Optional<SagaInstance> get(UUID id) {
        return ledger.read(tx -> tx.sagas().find(id));
    }

    @Override
    public Page<SagaInstance> list(ListProcesses query) {
        Optional<ListCursor> cursor = query.cursor().map(ListCursor::decode);
        Optional<Instant> notUpdatedSince = cursor.isPresent() ? cursor.get().notUpdatedSince()
                : query.stuckFor().map(d -> clock.instant().minus(d));
        Optional<SagaStatus> status = query.stuckFor().isPresent() ? Optional.of(SagaStatus.RUNNING) : query.status();
        Optional<UUID> after = cursor.map(ListCursor::lastId);
        List<SagaInstance> items = ledger.read(tx -> tx.sagas().list(status, query.process(), notUpdatedSince, after,
                query.limit() + 1));
        if (items.size() <= query.limit()) return new Page<>(items, Optional.empty());
        List<SagaInstance> page = items.subList(0, query.limit());
        return new Page<>(page, Optional.of(new ListCursor(page.getLast().id(), notUpdatedSince).encode()));
    }

    /** An opaque cursor: the last id listed and the stuck-since instant of the first page. */
    private record ListCursor(UUID lastId, Optional<Instant> notUpdatedSince) {
        String encode() {
            String text = "p|" + lastId + "|" + notUpdatedSince.map(Instant::toString).orElse("");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static ListCursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
                if (parts.length != 3 || !parts[0].equals("p")) throw new IllegalArgumentException("not a process cursor");
                return new ListCursor(UUID.fromString(parts[1]),
                        parts[2].isEmpty() ? Optional.empty() : Optional.of(Instant.parse(parts[2])));
            } catch (RuntimeException e) {
                throw new MalformedTextException("cursor", cursor, -1, "is not a cursor this listing returned");
            }
        }
    }

    @Override
    public CancelOutcome cancel(UUID id, Principal caller) {
        return cancel(id, Optional.of(caller));
    }

    /** A cancel by a caller inside the process (tests, an embedding program): no branch is out of its reach. */
    public CancelOutcome cancel(UUID id) {
        return cancel(id, Optional.empty());
    }

    private CancelOutcome cancel(UUID id, Optional<Principal> caller) {
        CancelOutcome outcome = ledger.inTransaction(tx -> {
            Optional<SagaInstance> found = tx.sagas().findForUpdate(id);
            if (found.isEmpty()) return new CancelOutcome.NotFound();
            SagaInstance saga = found.get();
            Optional<BranchWritePolicy.Refusal> refused = caller.flatMap(c -> branchWrites.check(c, saga.branch()));
            if (refused.isPresent()) return new CancelOutcome.Forbidden(refused.get());
            if (saga.status().isFinished()) return new CancelOutcome.AlreadyFinished(saga);
            if (saga.cancelRequested()) return new CancelOutcome.CancelRequested(saga);
            // Recorded first, so that a run resumed after a crash still cancels.
            SagaInstance marked = saga.changed(saga.currentState(), SagaStatus.RUNNING, now(),
                    c -> c.put("cancelRequested", true));
            if (!tx.sagas().update(marked)) throw new IllegalStateException("saga " + id + " changed under its lock");
            return new CancelOutcome.CancelRequested(tx.sagas().find(id).orElseThrow());
        });
        if (outcome instanceof CancelOutcome.CancelRequested) askToCancel(id);
        return outcome;
    }

    private void askToCancel(UUID id) {
        try {
            engine.cancel(id);
        } catch (RuntimeException e) {
            LOG.warn("the process engine did not take the cancel of run {}; resuming it cancels it", id, e);
        }
    }

    @Override
    public int resumeRunning() {
        int handedOver = 0;
        Optional<UUID> after = Optional.empty();
        while (true) {
            Optional<UUID> from = after;
            List<SagaInstance> running = ledger.read(tx -> tx.sagas().list(Optional.of(SagaStatus.RUNNING),
                    Optional.empty(), Optional.empty(), from, RESUME_PAGE));
            for (SagaInstance saga : running) {
                if (handOver(saga.id())) handedOver++;
                // a cancel the engine missed (it was down, or restarted): a fresh execution cancels by itself,
                // one that kept running hears it now
                if (saga.cancelRequested()) askToCancel(saga.id());
            }
            if (running.size() < RESUME_PAGE) return handedOver;
            after = Optional.of(running.getLast().id());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
