package dev.refinery.adapters.http;

import dev.refinery.application.auth.AuthenticateUseCase;
import dev.refinery.application.auth.ListTokensUseCase;
import dev.refinery.application.auth.RevokeTokenUseCase;
import dev.refinery.application.branch.BranchUseCases.CreateBranchUseCase;
import dev.refinery.application.branch.BranchUseCases.DiffUseCase;
import dev.refinery.application.branch.BranchUseCases.GetBranchUseCase;
import dev.refinery.application.branch.BranchUseCases.ListBranchesUseCase;
import dev.refinery.application.log.LogUseCases.ConsistencyProofUseCase;
import dev.refinery.application.log.LogUseCases.InclusionProofUseCase;
import dev.refinery.application.log.LogUseCases.LatestCheckpointUseCase;
import dev.refinery.application.log.LogUseCases.LeafUseCase;
import dev.refinery.application.log.LogUseCases.VerifierKeyUseCase;
import dev.refinery.application.process.ProcessUseCases.CancelProcessUseCase;
import dev.refinery.application.process.ProcessUseCases.GetProcessUseCase;
import dev.refinery.application.process.ProcessUseCases.ListProcessesUseCase;
import dev.refinery.application.process.ProcessUseCases.StartProcessUseCase;
import dev.refinery.application.read.ReadUseCases.DependenciesUseCase;
import dev.refinery.application.read.ReadUseCases.DependentsUseCase;
import dev.refinery.application.read.ReadUseCases.GetRefinementUseCase;
import dev.refinery.application.read.ReadUseCases.HistoryUseCase;
import dev.refinery.application.read.ReadUseCases.ImpactUseCase;
import dev.refinery.application.read.ReadUseCases.ListHeadsUseCase;
import dev.refinery.application.read.ReadUseCases.ListRefinementsUseCase;
import dev.refinery.application.read.ReadUseCases.ProvenanceUseCase;
import dev.refinery.application.read.ReadUseCases.ReadVibeUseCase;
import dev.refinery.application.read.ReadUseCases.ResolveUriUseCase;
import dev.refinery.application.read.ReadUseCases.ResolvedSchemaUseCase;
import dev.refinery.application.refine.MergeUseCase;
import dev.refinery.application.refine.RefineUseCase;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP API v1 (API.md) over the application's use cases: what the composition root wires by hand.
 *
 * <pre>{@code
 * RefineryHttp http = RefineryHttp.builder()
 *         .settings(HttpSettings.from(config))
 *         .refine(refineService).merge(mergeService)
 *         .reads(readService).branches(branchService)
 *         .processes(processService)
 *         .tokens(tokenService)
 *         .readinessCheck("database", database::isReachable)
 *         .build();
 * HttpSettings.validate(host, http.settings().authMode());
 * WebServer server = WebServer.builder().config(config.get("server")).update(http::configure).build().start();
 * }</pre>
 *
 * {@link #configure} adds the routing, the body limit to the listener, problem documents for what Helidon
 * rejects itself, {@code /observe/health}, {@code /observe/metrics} (Prometheus text) and {@code /openapi};
 * a caller that builds its own server can use {@link #routing} alone.
 */
public final class RefineryHttp {
    private static final Logger LOG = LoggerFactory.getLogger(RefineryHttp.class);
    static final String OPENAPI_FILE = "META-INF/openapi.yaml";

    private final Builder b;
    private final HttpSettings settings;
    private final Json json;
    private final ErrorResponses errors;
    private final HttpMetrics metrics;
    private final MeterRegistry registry;

    private RefineryHttp(Builder b) {
        this.b = b;
        this.settings = b.settings;
        this.json = new Json(settings);
        this.errors = new ErrorResponses(json, settings.maxBodyBytes());
        this.registry = b.registry != null ? b.registry : Metrics.globalRegistry();
        this.metrics = new HttpMetrics(registry);
    }

    public static Builder builder() {
        return new Builder();
    }

    public HttpSettings settings() {
        return settings;
    }

    /** Where the request and outcome meters are kept (the one {@code /observe/metrics} shows). */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /**
     * The {@code /v1} routes with their filters (metrics, the host and origin rules, then authentication) and error
     * handlers. Host names are answered as {@link HttpSettings#allowedHosts} says (with localhost and IP literals).
     */
    public void routing(HttpRouting.Builder routing) {
        routing(routing, Optional.empty());
    }

    private void routing(HttpRouting.Builder routing, Optional<String> boundHost) {
        routing.addFilter(metrics)
                .addFilter(new HostAndOriginFilter(settings.allowedHosts(), boundHost, settings.allowedOrigins(), errors))
                .addFilter(new AuthFilter(settings.authMode(), b.authenticate, errors))
                .register("/v1/refinements", new RefinementsService(b.refine, b.getRefinement, b.listRefinements,
                        b.logLeaf, new RefineRequestMapper(settings.maxOutputs()), json, metrics))
                .register("/v1/vibes", new VibesService(b.readVibe, b.listHeads, json))
                .register("/v1/resolve", new ResolveService(b.resolveUri, json))
                .register("/v1/history", new HistoryService(b.history, json))
                .register("/v1/schemas", new SchemasService(b.resolvedSchema, json))
                .register("/v1/dependencies", new DependenciesService(b.dependencies, json))
                .register("/v1/dependents", new DependentsService(b.dependents, json))
                .register("/v1/impact", new ImpactService(b.impact, json))
                .register("/v1/provenance", new ProvenanceService(b.provenance, json))
                .register("/v1/branches", new BranchesService(b.createBranch, b.listBranches, b.getBranch, json))
                .register("/v1/diff", new DiffService(b.diff, json))
                .register("/v1/merges", new MergesService(b.merge, b.readVibe, json, metrics))
                .register("/v1/processes", new ProcessesService(b.startProcess, b.getProcess, b.listProcesses,
                        b.cancelProcess, json, metrics))
                .register("/v1/log", new TransparencyLogService(b.logCheckpoint, b.logKey, b.logLeaf, b.logInclusion,
                        b.logConsistency, json));
        if (b.listTokens != null) routing.register("/v1/tokens", new TokensService(b.listTokens, b.revokeToken, json));
        errors.register(routing);
    }

    /**
     * Sets up a server: {@link #routing} (answering the name the server is bound to as well), the body limit and
     * the concurrency bounds on the listener, problem documents for requests
     * Helidon refuses itself, and the observe (health, metrics) and OpenAPI features. Features are not discovered from the classpath: what
     * runs is what is wired here.
     */
    public void configure(WebServerConfig.Builder server) {
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .addChecks(b.healthChecks.toArray(HealthCheck[]::new))
                .build();
        Optional<String> boundHost = Optional.ofNullable(server.host());
        server.routing(routing -> routing(routing, boundHost))
                // Helidon's own limit too: it bounds bodies no handler reads (a POST refused 401 is still drained)
                .maxPayloadSize(settings.maxBodyBytes())
                // one request past this is answered 503 at once; connections past this wait to be accepted
                .maxConcurrentRequests(settings.maxConcurrentRequests())
                .maxTcpConnections(settings.maxConnections())
                .directHandlers(errors.directHandlers())
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .observersDiscoverServices(false)
                        .addObserver(health)
                        .addObserver(MetricsObserver.builder().meterRegistry(registry).build())
                        .build())
                .addFeature(OpenApiFeature.builder().staticFile(OPENAPI_FILE).build());
    }

    /** The use cases the API calls, its settings and its checks. Every use case is required. */
    public static final class Builder {
        private HttpSettings settings = HttpSettings.defaults();
        private RefineUseCase refine;
        private MergeUseCase merge;
        private ReadVibeUseCase readVibe;
        private ResolveUriUseCase resolveUri;
        private HistoryUseCase history;
        private ListHeadsUseCase listHeads;
        private ResolvedSchemaUseCase resolvedSchema;
        private DependenciesUseCase dependencies;
        private DependentsUseCase dependents;
        private ImpactUseCase impact;
        private ProvenanceUseCase provenance;
        private GetRefinementUseCase getRefinement;
        private ListRefinementsUseCase listRefinements;
        private CreateBranchUseCase createBranch;
        private ListBranchesUseCase listBranches;
        private GetBranchUseCase getBranch;
        private DiffUseCase diff;
        private StartProcessUseCase startProcess;
        private GetProcessUseCase getProcess;
        private ListProcessesUseCase listProcesses;
        private CancelProcessUseCase cancelProcess;
        private LatestCheckpointUseCase logCheckpoint;
        private VerifierKeyUseCase logKey;
        private LeafUseCase logLeaf;
        private InclusionProofUseCase logInclusion;
        private ConsistencyProofUseCase logConsistency;
        private AuthenticateUseCase authenticate;
        private ListTokensUseCase listTokens;
        private RevokeTokenUseCase revokeToken;
        private MeterRegistry registry;
        private final List<HealthCheck> healthChecks = new ArrayList<>();

        private Builder() {}

        public Builder settings(HttpSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        public Builder refine(RefineUseCase refine) {
            this.refine = refine;
            return this;
        }

        public Builder merge(MergeUseCase merge) {
            this.merge = merge;
            return this;
        }

        /** Every read use case from one object that answers them all (the application's read service). */
        public <R extends ReadVibeUseCase & ResolveUriUseCase & HistoryUseCase & ListHeadsUseCase
                & ResolvedSchemaUseCase & DependenciesUseCase & DependentsUseCase & ImpactUseCase & ProvenanceUseCase
                & GetRefinementUseCase & ListRefinementsUseCase> Builder reads(R reads) {
            return readVibe(reads).resolveUri(reads).history(reads).listHeads(reads).resolvedSchema(reads)
                    .dependencies(reads).dependents(reads).impact(reads).provenance(reads).getRefinement(reads)
                    .listRefinements(reads);
        }

        /** Every branch use case from one object that answers them all (the application's branch service). */
        public <B extends CreateBranchUseCase & ListBranchesUseCase & GetBranchUseCase & DiffUseCase> Builder branches(
                B branches) {
            return createBranch(branches).listBranches(branches).getBranch(branches).diff(branches);
        }

        /** Every process use case from one object that answers them all (the application's process service). */
        public <P extends StartProcessUseCase & GetProcessUseCase & ListProcessesUseCase & CancelProcessUseCase> Builder
                processes(P processes) {
            return startProcess(processes).getProcess(processes).listProcesses(processes).cancelProcess(processes);
        }

        /** Every transparency-log use case from one object that answers them all (the application's log service). */
        public <L extends LatestCheckpointUseCase & VerifierKeyUseCase & LeafUseCase & InclusionProofUseCase
                & ConsistencyProofUseCase> Builder log(L log) {
            this.logCheckpoint = log;
            this.logKey = log;
            this.logLeaf = log;
            this.logInclusion = log;
            this.logConsistency = log;
            return this;
        }

        public Builder readVibe(ReadVibeUseCase useCase) { this.readVibe = useCase; return this; }
        public Builder resolveUri(ResolveUriUseCase useCase) { this.resolveUri = useCase; return this; }
        public Builder history(HistoryUseCase useCase) { this.history = useCase; return this; }
        public Builder listHeads(ListHeadsUseCase useCase) { this.listHeads = useCase; return this; }
        public Builder resolvedSchema(ResolvedSchemaUseCase useCase) { this.resolvedSchema = useCase; return this; }
        public Builder dependencies(DependenciesUseCase useCase) { this.dependencies = useCase; return this; }
        public Builder dependents(DependentsUseCase useCase) { this.dependents = useCase; return this; }
        public Builder impact(ImpactUseCase useCase) { this.impact = useCase; return this; }
        public Builder provenance(ProvenanceUseCase useCase) { this.provenance = useCase; return this; }
        public Builder getRefinement(GetRefinementUseCase useCase) { this.getRefinement = useCase; return this; }
        public Builder listRefinements(ListRefinementsUseCase useCase) { this.listRefinements = useCase; return this; }
        public Builder createBranch(CreateBranchUseCase useCase) { this.createBranch = useCase; return this; }
        public Builder listBranches(ListBranchesUseCase useCase) { this.listBranches = useCase; return this; }
        public Builder getBranch(GetBranchUseCase useCase) { this.getBranch = useCase; return this; }
        public Builder diff(DiffUseCase useCase) { this.diff = useCase; return this; }
        public Builder startProcess(StartProcessUseCase useCase) { this.startProcess = useCase; return this; }
        public Builder getProcess(GetProcessUseCase useCase) { this.getProcess = useCase; return this; }
        public Builder listProcesses(ListProcessesUseCase useCase) { this.listProcesses = useCase; return this; }
        public Builder cancelProcess(CancelProcessUseCase useCase) { this.cancelProcess = useCase; return this; }

        /** Who holds a bearer token; required when {@link HttpSettings#authMode()} is {@link AuthMode#TOKEN}. */
        public Builder authenticator(AuthenticateUseCase authenticate) {
            this.authenticate = authenticate;
            return this;
        }

        /**
         * The token service: it authenticates callers ({@link #authenticator}) and serves {@code /v1/tokens}
         * (list and revoke, for {@code admin}); without it that route does not exist.
         */
        public <T extends AuthenticateUseCase & ListTokensUseCase & RevokeTokenUseCase> Builder tokens(T tokens) {
            this.listTokens = Objects.requireNonNull(tokens);
            this.revokeToken = tokens;
            return authenticator(tokens);
        }

        /**
         * The registry to keep the API's meters in; Helidon's global one when not given (with Helidon 4.1's
         * Micrometer provider every registry feeds the one Prometheus registry {@code /observe/metrics} shows).
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * A readiness check under {@code /observe/health/ready}, e.g. the database: down when {@code up}
         * answers false or throws (the failure is logged, not shown).
         */
        public Builder readinessCheck(String name, Supplier<Boolean> up) {
            Objects.requireNonNull(up);
            return healthCheck(new HealthCheck() {
                @Override
                public HealthCheckType type() {
                    return HealthCheckType.READINESS;
                }

                @Override
                public String name() {
                    return name;
                }

                @Override
                public HealthCheckResponse call() {
                    boolean ok;
                    try {
                        ok = Boolean.TRUE.equals(up.get());
                    } catch (RuntimeException e) {
                        LOG.warn("readiness check {} failed", name, e);
                        ok = false;
                    }
                    return HealthCheckResponse.builder().status(ok).build();
                }
            });
        }

        /** Any Helidon health check (liveness, readiness or start-up). */
        public Builder healthCheck(HealthCheck check) {
            healthChecks.add(Objects.requireNonNull(check));
            return this;
        }

        /** @throws IllegalStateException naming every use case not given */
        public RefineryHttp build() {
            List<String> missing = new ArrayList<>();
            require(missing, "refine", refine);
            require(missing, "merge", merge);
            require(missing, "readVibe", readVibe);
            require(missing, "resolveUri", resolveUri);
            require(missing, "history", history);
            require(missing, "listHeads", listHeads);
            require(missing, "resolvedSchema", resolvedSchema);
            require(missing, "dependencies", dependencies);
            require(missing, "dependents", dependents);
            require(missing, "impact", impact);
            require(missing, "provenance", provenance);
            require(missing, "getRefinement", getRefinement);
            require(missing, "listRefinements", listRefinements);
            require(missing, "createBranch", createBranch);
            require(missing, "listBranches", listBranches);
            require(missing, "getBranch", getBranch);
            require(missing, "diff", diff);
            require(missing, "startProcess", startProcess);
            require(missing, "getProcess", getProcess);
            require(missing, "listProcesses", listProcesses);
            require(missing, "cancelProcess", cancelProcess);
            require(missing, "log", logCheckpoint);
            if (settings.authMode() == AuthMode.TOKEN) require(missing, "authenticator (auth.mode=token)", authenticate);
            if (!missing.isEmpty()) throw new IllegalStateException("RefineryHttp needs " + String.join(", ", missing));
            return new RefineryHttp(this);
        }

        private static void require(List<String> missing, String name, Object value) {
            if (value == null) missing.add(name);
        }
    }
}
