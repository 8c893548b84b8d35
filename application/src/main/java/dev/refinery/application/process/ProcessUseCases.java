package dev.refinery.application.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.auth.Principal;
import dev.refinery.application.read.Page;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.StorableText;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.idempotency.IdempotencyPolicy;
import dev.refinery.domain.Digest;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Process runs as callers see them (the HTTP API): one driving port per use case. */
public final class ProcessUseCases {
    public static final int MAX_LIMIT = 1000;

    private ProcessUseCases() {}

    /**
     * Starts a run: pins the process and its capabilities, checks the input against the process's schema,
     * records the saga RUNNING and hands it to the engine. A repeated idempotency key answers the first run.
     */
    @FunctionalInterface
    public interface StartProcessUseCase { StartOutcome start(StartProcess command); }

    @FunctionalInterface
    public interface GetProcessUseCase { Optional<SagaInstance> get(UUID id); }

    @FunctionalInterface
    public interface ListProcessesUseCase { Page<SagaInstance> list(ListProcesses query); }

    /** Asks a running run to cancel; its compensations run and it ends CANCELLED. */
    @FunctionalInterface
    public interface CancelProcessUseCase {
        /** Cancel as {@code caller}, who must be allowed to write the run's branch (its result would go there). */
        CancelOutcome cancel(UUID id, Principal caller);
    }

    /**
     * Hands every RUNNING saga to the engine again (at start-up with an engine that forgets, such as the
     * embedded test server): each goes on from its recorded step. Safe to repeat.
     *
     * @return how many sagas were handed over
     */
    @FunctionalInterface
    public interface ResumeRunningUseCase { int resumeRunning(); }

    /**
     * {@code caller} is the authenticated caller: its role is the author, and the run writes its result to
     * {@code branch}, which the caller must be allowed to write ({@link dev.refinery.application.auth.BranchWritePolicy}).
     * {@code resultId} defaults to {@code runs/PROCESS_ID/RUN_ID}; {@code budgets} name budget vibes, combined
     * with the process's own.
     */
    public record StartProcess(AugUri process, BranchName branch, JsonNode input, Optional<VibeId> resultId,
                               List<AugUri> budgets, Optional<String> idempotencyKey, Principal caller) {
        public StartProcess {
            if (process == null || branch == null || caller == null || resultId == null) {
                throw new IllegalArgumentException("process, branch and author are required");
            }
            input = input == null ? JsonNodeFactory.instance.objectNode() : input.deepCopy();
            budgets = budgets == null ? List.of() : List.copyOf(budgets);
            idempotencyKey = IdempotencyPolicy.key(idempotencyKey);
        }

        /** The request's digest (see {@link IdempotencyPolicy}): every field but the key and the author. */
        public Digest requestDigest() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("process", process.toString());
            o.put("branch", branch.value());
            o.set("input", input);
            o.put("resultId", resultId.map(VibeId::value).orElse(null));
            ArrayNode named = o.putArray("budgets");
            budgets.forEach(b -> named.add(b.toString()));
            return IdempotencyPolicy.digest("process", o);
        }

        /** A start by a caller inside the process ({@link Principal#unrestricted}). */
        public StartProcess(AugUri process, BranchName branch, JsonNode input, Optional<VibeId> resultId,
                            List<AugUri> budgets, Optional<String> idempotencyKey, VibeRef author) {
            this(process, branch, input, resultId, budgets, idempotencyKey,
                    author == null ? null : Principal.unrestricted(author));
        }

        /** The caller's role: the author of the run and of its result. */
        public VibeRef author() {
            return caller.role();
        }
    }

    /**
     * Runs by status and process ref; {@code stuckFor}: RUNNING and not updated for that long (then
     * {@code status}, if given, must be RUNNING).
     */
    public record ListProcesses(Optional<SagaStatus> status, Optional<VibeRef> process, Optional<Duration> stuckFor,
                                int limit, Optional<String> cursor) {
        public ListProcesses {
            if (status == null || process == null || stuckFor == null || cursor == null) {
                throw new IllegalArgumentException("absent filters are empty, not null");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
            }
            stuckFor.ifPresent(d -> {
                if (d.isNegative()) throw new IllegalArgumentException("stuckFor must not be negative");
            });
            if (stuckFor.isPresent() && status.filter(s -> s != SagaStatus.RUNNING).isPresent()) {
                throw new IllegalArgumentException("stuckFor lists RUNNING runs: it cannot go with status " + status.get());
            }
        }
    }

    public sealed interface StartOutcome {
        /** A new run, RUNNING. */
        record Started(SagaInstance saga) implements StartOutcome {}

        /** The idempotency key was used before: that run, as it is now. */
        record Replayed(SagaInstance saga) implements StartOutcome {}

        /**
         * The caller used this idempotency key before to start another run (other input, process, branch, result
         * id or budgets): {@code first} is that run. Nothing was started.
         */
        record KeyReused(String key, SagaInstance first) implements StartOutcome {}

        /** The branch or the process does not exist. */
        record NotFound(String what) implements StartOutcome {}

        /**
         * The request cannot run: violations point into it ({@code /input/age}, {@code /budgets/0},
         * {@code /process} for a process that is not a valid PROCESS or whose capabilities are missing).
         */
        record Invalid(List<Violation> violations) implements StartOutcome {}

        /** The caller may not write the branch the result goes to; nothing was started. */
        record Forbidden(BranchWritePolicy.Refusal refusal) implements StartOutcome {}
    }

    public sealed interface CancelOutcome {
        record CancelRequested(SagaInstance saga) implements CancelOutcome {}

        record NotFound() implements CancelOutcome {}

        /** COMPLETED, FAILED or CANCELLED already: nothing to cancel. */
        record AlreadyFinished(SagaInstance saga) implements CancelOutcome {}

        /** The caller may not write the run's branch; nothing changed. */
        record Forbidden(BranchWritePolicy.Refusal refusal) implements CancelOutcome {}
    }
}
