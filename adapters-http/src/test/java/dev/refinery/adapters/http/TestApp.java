package dev.refinery.adapters.http;

import dev.refinery.application.auth.IssueTokenUseCase.IssueOutcome;
import dev.refinery.application.auth.IssueTokenUseCase.IssueToken;
import dev.refinery.application.auth.Scope;
import dev.refinery.application.auth.TokenService;
import dev.refinery.adapters.inmemory.InMemoryLog;
import dev.refinery.application.branch.BranchService;
import dev.refinery.application.log.LogService;
import dev.refinery.domain.log.NoteSigner;
import dev.refinery.domain.log.NoteVerifier;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.application.process.ProcessService;
import dev.refinery.application.process.RunService;
import dev.refinery.application.read.ReadService;
import dev.refinery.application.refine.MergeService;
import dev.refinery.application.refine.RefineService;
import dev.refinery.application.refine.SchemaValidator;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaResolver;
import io.helidon.webserver.WebServerConfig;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The production wiring of the API over a {@link TestBackend} (in memory unless another is registered), as bootstrap does it: real services,
 * a real token service, and a ledger that can be told to fail (to see 503 and 500 answers). Process runs go to a
 * {@link RecordingProcessEngine} that runs nothing; {@link #runs} moves them on as the engine would.
 */
final class TestApp {
    static final String LOG_ORIGIN = "test.refinery/log";
    final FailingLedger ledger;
    final TokenService tokens;
    final RefineryHttp http;
    final RecordingProcessEngine engine = new RecordingProcessEngine();
    final RunService runs;
    final InMemoryLog log;
    final NoteVerifier logKey;

    TestApp(HttpSettings settings) {
        this(settings, () -> true);
    }

    TestApp(HttpSettings settings, Supplier<Boolean> ready) {
        // PostgreSQL keeps microseconds: a clock that ticks in them reads back what it wrote, in any backend.
        Clock clock = Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1_000));
        TestBackend.Stores stores = TestBackend.current().open(clock);
        ledger = new FailingLedger(stores.ledger());
        SchemaResolver resolver = new SchemaResolver(new SchemaResolver.Limits(2_000, 64));
        SchemaValidator validator = new SchemaValidator();
        ReadService reads = new ReadService(ledger, clock, resolver);
        tokens = new TokenService(stores.tokens(), ledger, clock);
        RefineService refine = new RefineService(ledger, clock, resolver, validator, settings.maxOutputs());
        runs = new RunService(ledger, refine, clock);
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        logKey = NoteVerifier.of(LOG_ORIGIN, pair.getPublic());
        log = new InMemoryLog(LOG_ORIGIN, new NoteSigner(pair.getPrivate(), logKey));
        http = RefineryHttp.builder()
                .settings(settings)
                .refine(refine)
                .merge(new MergeService(ledger, clock, resolver, validator))
                .reads(reads)
                .branches(new BranchService(ledger, clock))
                .processes(new ProcessService(ledger, engine, clock, resolver, validator))
                .tokens(tokens)
                .log(new LogService(log, logKey))
                .readinessCheck("ledger", ready)
                .build();
    }

    static TestApp withoutAuth() {
        return new TestApp(HttpSettings.defaults().withAuthMode(AuthMode.NONE));
    }

    void configure(WebServerConfig.Builder server) {
        http.configure(server);
    }

    /** A token for {@code role} with {@code scopes}, issued as bootstrap's command would. */
    String token(VibeRef role, Scope... scopes) {
        return ((IssueOutcome.Issued) tokens.issue(new IssueToken(role, Set.of(scopes), "test"))).token();
    }

    /** A token for {@code role} with {@code scopes} that writes only branches matching {@code branches}. */
    String token(VibeRef role, java.util.List<String> branches, Scope... scopes) {
        return ((IssueOutcome.Issued) tokens.issue(new IssueToken(role, Set.of(scopes), "test",
                branches.stream().map(dev.refinery.application.auth.BranchPattern::parse).toList(),
                java.util.Optional.empty()))).token();
    }

    /** A ledger that does what its delegate does, or throws what it is told to. */
    static final class FailingLedger implements VibeLedger {
        private final VibeLedger delegate;
        private final AtomicReference<Supplier<RuntimeException>> failure = new AtomicReference<>();

        FailingLedger(VibeLedger delegate) {
            this.delegate = delegate;
        }

        void failWith(Supplier<RuntimeException> failure) {
            this.failure.set(failure);
        }

        void heal() {
            failure.set(null);
        }

        @Override
        public <T> T inTransaction(UnitOfWork<T> work) {
            Supplier<RuntimeException> f = failure.get();
            if (f != null) throw f.get();
            return delegate.inTransaction(work);
        }
    }
}
