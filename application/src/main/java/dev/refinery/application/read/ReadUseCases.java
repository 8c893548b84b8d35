package dev.refinery.application.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.application.port.Edge;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeRef;

import java.util.List;
import java.util.Optional;

/** The read side: one driving port per question. Empty means "not found" (404). */
public final class ReadUseCases {
    private ReadUseCases() {}

    @FunctionalInterface
    public interface ReadVibeUseCase { Optional<Vibe> read(Queries.ReadVibe query); }

    @FunctionalInterface
    public interface ResolveUriUseCase { Optional<Vibe> resolve(Queries.ResolveUri query); }

    /** Empty when no revision of the id is visible on the branch. */
    @FunctionalInterface
    public interface HistoryUseCase { Optional<Page<Vibe>> history(Queries.History query); }

    /** Empty when the branch does not exist. */
    @FunctionalInterface
    public interface ListHeadsUseCase { Optional<Page<Vibe>> list(Queries.ListHeads query); }

    @FunctionalInterface
    public interface ResolvedSchemaUseCase { SchemaOutcome schema(Queries.ResolvedSchema query); }

    /** Empty when the revision asked for is not visible on the branch. */
    @FunctionalInterface
    public interface DependenciesUseCase { Optional<Page<Edge>> dependencies(Queries.Graph query); }

    /** Empty when the revision asked for is not visible on the branch. */
    @FunctionalInterface
    public interface DependentsUseCase { Optional<Page<Edge>> dependents(Queries.Graph query); }

    /** Empty when no revision of the id is visible on the branch. */
    @FunctionalInterface
    public interface ImpactUseCase { Optional<Page<ImpactItem>> impact(Queries.Impact query); }

    @FunctionalInterface
    public interface ProvenanceUseCase { Optional<Provenance> provenance(Queries.Provenance query); }

    @FunctionalInterface
    public interface GetRefinementUseCase { Optional<Refinement> refinement(long id); }

    @FunctionalInterface
    public interface ListRefinementsUseCase { Page<Refinement> list(Queries.ListRefinements query); }

    /** Where a vibe came from: the refinement that wrote it, its author, prototype and the refinement's inputs. */
    public record Provenance(Vibe vibe, Refinement refinement, Optional<Vibe> author, Optional<Vibe> prototype,
                             List<Vibe> inputs) {}

    public sealed interface SchemaOutcome {
        record Found(VibeRef ref, JsonNode schema) implements SchemaOutcome {}
        record NotFound() implements SchemaOutcome {}
        record TooLarge(String reason) implements SchemaOutcome {}
    }
}
