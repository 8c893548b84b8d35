package dev.refinery.application.process;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.refinery.application.port.HttpCapabilityClient;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.process.RunUseCases.Heartbeat;
import dev.refinery.application.process.RunUseCases.StepCall;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.domain.AugUri;
import dev.refinery.domain.MalformedTextException;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;
import dev.refinery.domain.process.Builtins;
import dev.refinery.domain.process.CapabilityResult;
import dev.refinery.domain.process.CapabilitySpec;
import dev.refinery.domain.process.RunLimits;
import dev.refinery.domain.schema.SchemaResolver;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Calls builtin and http capabilities: see {@link RunUseCases.ExecuteStepUseCase}. */
public final class StepService implements RunUseCases.ExecuteStepUseCase {
    /** How often a {@code sleep} heartbeats. */
    private static final long BEAT_MILLIS = 1_000;

    private final VibeLedger ledger;
    private final SchemaResolver resolver;
    private final SchemaValidator validator;
    private final HttpCapabilityClient http;
    private final RunLimits limits;

    public StepService(VibeLedger ledger, SchemaResolver resolver, SchemaValidator validator, HttpCapabilityClient http) {
        this(ledger, resolver, validator, http, RunLimits.DEFAULT);
    }

    /** @param limits a pure builtin's output past {@link RunLimits#maxStepOutputBytes()} fails its step, unbuilt */
    public StepService(VibeLedger ledger, SchemaResolver resolver, SchemaValidator validator, HttpCapabilityClient http,
                       RunLimits limits) {
        this.limits = limits;
        this.ledger = ledger;
        this.resolver = resolver;
        this.validator = validator;
        this.http = http;
    }

    @Override
    public CapabilityResult execute(StepCall call, Heartbeat heartbeat) {
        return switch (call.spec()) {
            case CapabilitySpec.Builtin b when Builtins.PURE.contains(b.function()) -> Builtins.apply(b.function(), call.input(),
                    limits.maxStepOutputBytes());
            case CapabilitySpec.Builtin b when b.function().equals(Builtins.VALIDATE) -> validate(call);
            case CapabilitySpec.Builtin b when b.function().equals(Builtins.SLEEP) -> sleep(call, heartbeat);
            case CapabilitySpec.Builtin b -> throw new IllegalStateException("builtin without an implementation: " + b);
            case CapabilitySpec.Http h -> http.post(h.url(), call.input(), call.idempotencyKey(), h.timeout());
            case CapabilitySpec.TemporalActivity t -> throw new IllegalArgumentException(
                    "temporal-activity capabilities are called by the engine, not here: " + call.capability());
        };
    }

    private CapabilityResult validate(StepCall call) {
        Optional<Builtins.ValidateRequest> request = Builtins.validateRequest(call.input());
        if (request.isEmpty()) return CapabilityResult.fatal("validate: input needs \"schema\": AUG_URI_OR_REF and \"value\"");
        String name = request.get().schema();
        List<Violation> violations;
        try {
            violations = ledger.read(tx -> {
                Optional<Vibe> vibe = AugUri.looksLikeAugUri(name)
                        ? Pinned.resolve(tx, AugUri.parse(name), call.branch())
                        : tx.vibe(VibeRef.parse(name));
                if (vibe.isEmpty()) return null;
                return validator.validate(resolver.bundled(tx.closure(vibe.get().ref()).orElseThrow()),
                        request.get().value());
            });
        } catch (MalformedTextException e) {
            return CapabilityResult.fatal("validate: " + e.getMessage());
        }
        if (violations == null) return CapabilityResult.fatal("validate: " + name + " names no vibe on " + call.branch());
        if (!violations.isEmpty()) {
            return CapabilityResult.fatal("validate: the value breaks " + name + ": " + violations.stream()
                    .map(v -> (v.pointer().isEmpty() ? "/" : v.pointer()) + " " + v.message())
                    .collect(Collectors.joining("; ")));
        }
        return new CapabilityResult.Succeeded(JsonNodeFactory.instance.objectNode().put("valid", true));
    }

    private static CapabilityResult sleep(StepCall call, Heartbeat heartbeat) {
        Optional<Long> ms = Builtins.sleepMillis(call.input());
        if (ms.isEmpty()) {
            return CapabilityResult.fatal("sleep: input needs \"ms\": 0 to " + Builtins.MAX_SLEEP_MILLIS);
        }
        long deadline = System.nanoTime() + ms.get() * 1_000_000;
        try {
            for (long left = ms.get(); left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                heartbeat.beat();
                Thread.sleep(Math.min(left, BEAT_MILLIS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CapabilityResult.Failed("sleep: interrupted", true);
        }
        return new CapabilityResult.Succeeded(JsonNodeFactory.instance.objectNode().put("slept", ms.get()));
    }
}
