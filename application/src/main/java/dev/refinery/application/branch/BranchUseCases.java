package dev.refinery.application.branch;

import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;

import java.util.List;
import java.util.Optional;

/** Branches: fork, list, read, diff. Merging is {@link dev.refinery.application.refine.MergeUseCase}. */
public final class BranchUseCases {
    private BranchUseCases() {}

    /** Fork {@code name} from {@code from}; {@code author} is the caller's role. */
    public record CreateBranch(BranchName name, BranchName from, VibeRef author) {
        public CreateBranch {
            if (name == null || from == null || author == null) {
                throw new IllegalArgumentException("name, from and author are required");
            }
        }
    }

    public sealed interface CreateOutcome {
        record Created(Branch branch) implements CreateOutcome {}
        record AlreadyExists(Branch existing) implements CreateOutcome {}
        record BaseNotFound(BranchName base) implements CreateOutcome {}
        record AuthorNotFound(VibeRef author) implements CreateOutcome {}
    }

    /** One id whose visible head differs between two branches (empty where the branch has none). */
    public record Difference(VibeId id, Optional<VibeRef> from, Optional<VibeRef> to) {}

    @FunctionalInterface
    public interface CreateBranchUseCase { CreateOutcome create(CreateBranch command); }

    @FunctionalInterface
    public interface ListBranchesUseCase { List<Branch> list(); }

    @FunctionalInterface
    public interface GetBranchUseCase { Optional<Branch> branch(BranchName name); }

    /** Empty when either branch does not exist. */
    @FunctionalInterface
    public interface DiffUseCase { Optional<List<Difference>> diff(BranchName from, BranchName to); }
}
