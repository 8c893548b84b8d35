package dev.refinery.application.branch;

import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.branch.BranchUseCases.CreateOutcome;
import dev.refinery.application.branch.BranchUseCases.Difference;
import dev.refinery.application.port.VibeLedger;
import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.Kind;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Forks are exact: the fork holds its base's writers off while it takes the fork point. */
public final class BranchService implements BranchUseCases.CreateBranchUseCase, BranchUseCases.ListBranchesUseCase,
        BranchUseCases.GetBranchUseCase, BranchUseCases.DiffUseCase {

    private final VibeLedger ledger;
    private final Clock clock;
    private final BranchWritePolicy branchWrites;

    public BranchService(VibeLedger ledger, Clock clock) {
        this(ledger, clock, BranchWritePolicy.PROTECTING_MAIN);
    }

    /** @param branchWrites who may write which branch: a fork writes the new branch */
    public BranchService(VibeLedger ledger, Clock clock, BranchWritePolicy branchWrites) {
        this.ledger = ledger;
        this.clock = clock;
        this.branchWrites = branchWrites;
    }

    @Override
    public CreateOutcome create(BranchUseCases.CreateBranch c) {
        Optional<BranchWritePolicy.Refusal> refused = branchWrites.check(c.caller(), c.name());
        if (refused.isPresent()) return new CreateOutcome.Forbidden(refused.get());
        return ledger.inTransaction(tx -> {
            Optional<Branch> existing = tx.branch(c.name());
            if (existing.isPresent()) return new CreateOutcome.AlreadyExists(existing.get());
            if (tx.branch(c.from()).isEmpty()) return new CreateOutcome.BaseNotFound(c.from());
            if (tx.vibe(c.author()).filter(v -> v.kind() == Kind.ROLE).isEmpty()) {
                return new CreateOutcome.AuthorNotFound(c.author());
            }
            tx.lockBranchExclusively(c.from());
            Branch branch = new Branch(c.name(), Optional.of(c.from()), tx.lastRefinementId(), clock.instant(), c.author());
            if (!tx.insertBranch(branch)) {
                return new CreateOutcome.AlreadyExists(tx.branch(c.name()).orElse(branch));
            }
            return new CreateOutcome.Created(branch);
        });
    }

    @Override
    public List<Branch> list() {
        return ledger.read(tx -> tx.branches());
    }

    @Override
    public Optional<Branch> branch(BranchName name) {
        return ledger.read(tx -> tx.branch(name));
    }

    @Override
    public Optional<List<Difference>> diff(BranchName from, BranchName to) {
        return ledger.read(tx -> {
            if (tx.branch(from).isEmpty() || tx.branch(to).isEmpty()) return Optional.empty();
            // an id whose entries both branches see alike has the same head on both
            TreeSet<VibeId> ids = new TreeSet<>(tx.idsSeenOnlyOn(from, to));
            ids.addAll(tx.idsSeenOnlyOn(to, from));
            Map<VibeId, VibeRef> a = tx.headRefs(from, ids);
            Map<VibeId, VibeRef> b = tx.headRefs(to, ids);
            List<Difference> differences = new ArrayList<>();
            for (VibeId id : ids) {
                VibeRef x = a.get(id);
                VibeRef y = b.get(id);
                if (x == null || !x.equals(y)) {
                    differences.add(new Difference(id, Optional.ofNullable(x), Optional.ofNullable(y)));
                }
            }
            return Optional.of(differences);
        });
    }
}
