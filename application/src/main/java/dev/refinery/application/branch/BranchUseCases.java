package dev.refinery.application.branch;

import dev.refinery.application.auth.BranchWritePolicy;
import dev.refinery.application.auth.Principal;
import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;

import java.util.List;
import java.util.Optional;

/** Branches: fork, list, read, diff. Merging is {@link dev.refinery.application.refine.MergeUseCase}. */
public final class BranchUseCases {
    private BranchUseCases() {}

    /**
     * Fork {@code name} from {@code from} as {@code caller} (its role is the author); forking writes {@code name}
     * ({@link dev.refinery.application.auth.BranchWritePolicy}), {@code from} is only read.
     */
    public record CreateBranch(BranchName name, BranchName from, Principal caller) {
        public CreateBranch {
            if (name == null || from == null || caller == null) {
                throw new IllegalArgumentException("name, from and author are required");
            }
        }

        /** A fork by a caller inside the process ({@link Principal#unrestricted}). */
        public CreateBranch(BranchName name, BranchName from, VibeRef author) {
            this(name, from, author == null ? null : Principal.unrestricted(author));
        }

        public VibeRef author() {
            return caller.role();
        }
    }

    public sealed interface CreateOutcome {
        record Created(Branch branch) implements CreateOutcome {}
        record AlreadyExists(Branch existing) implements CreateOutcome {}
        record BaseNotFound(BranchName base) implements CreateOutcome {}
        record AuthorNotFound(VibeRef author) implements CreateOutcome {}
        /** The caller may not write the new branch. */
        record Forbidden(BranchWritePolicy.Refusal refusal) implements CreateOutcome {}
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
