package dev.refinery.application.contract;

import dev.refinery.application.port.DuplicateWriteException;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Kind;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.Revision;
import dev.refinery.domain.Vibe;
import dev.refinery.domain.VibeId;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.schema.SchemaClosure;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger port itself: units of work are all or nothing, and unique keys hold. */
public abstract class LedgerPortContract extends LedgerFixture {

    private Vibe vibe(VibeRef ref, long refinementId, Instant at) {
        return new Vibe(ref, Kind.RECORD, List.of(ref.branch()), ROOT, Optional.empty(), refinementId, json("{}"),
                json("{}"), json("1"), List.of(), ContentDigest.of(Kind.RECORD, ref.id(), json("{}"), json("{}"),
                json("1"), Optional.empty()), at);
    }

    private static final Digest REQUEST = ContentDigest.ofJson(json("{'request': 'refine'}"));

    private Refinement refinement(long id, List<VibeRef> outputs, Optional<String> key, Instant at) {
        return refinement(id, ROOT, RefinementKind.REFINE, outputs, key, at);
    }

    private Refinement refinement(long id, VibeRef author, RefinementKind kind, List<VibeRef> outputs,
                                  Optional<String> key, Instant at) {
        Optional<Digest> digest = kind == RefinementKind.PROCESS ? Optional.empty() : key.map(k -> REQUEST);
        return new Refinement(id, MAIN, author, kind, List.of(), List.of(), List.of(), outputs, "port", key, digest, at);
    }

    private void append(VibeRef author, RefinementKind kind, String key) {
        ledger.inTransaction(tx -> {
            tx.append(refinement(tx.nextRefinementId(), author, kind, List.of(), Optional.of(key), clock.instant()),
                    List.of(), List.of());
            return null;
        });
    }

    @Test
    void aUnitOfWorkThatThrowsLeavesNothingBehind() {
        VibeRef ref = VibeRef.of("main", "x", 1);

        assertThrows(IllegalStateException.class, () -> ledger.inTransaction(tx -> {
            long id = tx.nextRefinementId();
            Instant now = clock.instant();
            tx.append(refinement(id, List.of(ref), Optional.of("k"), now), List.of(vibe(ref, id, now)), List.of());
            assertTrue(tx.vibe(ref).isPresent(), "a unit of work sees its own writes");
            throw new IllegalStateException("boom");
        }));

        assertEquals(Optional.empty(), ledger.read(tx -> tx.vibe(ref)));
        assertEquals(Optional.empty(), ledger.read(tx -> tx.refinementByIdempotencyKey(ROOT, "k")));
    }

    @Test
    void aRollbackOnlyUnitOfWorkLeavesNothingBehind() {
        VibeRef ref = VibeRef.of("main", "x", 1);

        ledger.inTransaction(tx -> {
            long id = tx.nextRefinementId();
            Instant now = clock.instant();
            tx.append(refinement(id, List.of(ref), Optional.empty(), now), List.of(vibe(ref, id, now)), List.of());
            tx.setRollbackOnly();
            return null;
        });

        assertEquals(Optional.empty(), ledger.read(tx -> tx.vibe(ref)));
    }

    @Test
    void aTakenRevisionOrIdempotencyKeyIsADuplicateWrite() {
        VibeRef ref = VibeRef.of("main", "x", 1);
        ledger.inTransaction(tx -> {
            long id = tx.nextRefinementId();
            Instant now = clock.instant();
            tx.append(refinement(id, List.of(ref), Optional.of("k"), now), List.of(vibe(ref, id, now)), List.of());
            return null;
        });

        assertThrows(DuplicateWriteException.class, () -> ledger.inTransaction(tx -> {
            long id = tx.nextRefinementId();
            Instant now = clock.instant();
            tx.append(refinement(id, List.of(ref), Optional.empty(), now), List.of(vibe(ref, id, now)), List.of());
            return null;
        }));
        assertThrows(DuplicateWriteException.class, () -> ledger.inTransaction(tx -> {
            long id = tx.nextRefinementId();
            tx.append(refinement(id, List.of(), Optional.of("k"), clock.instant()), List.of(), List.of());
            return null;
        }));
    }

    @Test
    void aKeyIsEachAuthorsOwnAndARunsKeyIsApartFromTheClients() {
        VibeRef other = write("roles/other", "{}", "{}").ref();  // a RECORD will do: the port checks no kinds
        append(ROOT, RefinementKind.REFINE, "k");
        append(other, RefinementKind.MERGE, "k");
        append(ROOT, RefinementKind.PROCESS, "k");

        assertThrows(DuplicateWriteException.class, () -> append(ROOT, RefinementKind.MERGE, "k"));
        assertThrows(DuplicateWriteException.class, () -> append(other, RefinementKind.PROCESS, "k"),
                "one result per run, whoever started it");
        Refinement roots = ledger.read(tx -> tx.refinementByIdempotencyKey(ROOT, "k")).orElseThrow();
        assertEquals(RefinementKind.REFINE, roots.kind());
        assertEquals(Optional.of(REQUEST), roots.requestDigest());
        assertEquals(RefinementKind.MERGE, ledger.read(tx -> tx.refinementByIdempotencyKey(other, "k")).orElseThrow()
                .kind());
        assertEquals(Optional.empty(), ledger.read(tx -> tx.refinementByIdempotencyKey(other, "nope")));
    }

    @Test
    void aKeyedRefineCarriesItsRequestDigest() {
        assertThrows(RuntimeException.class, () -> ledger.inTransaction(tx -> {
            tx.append(new Refinement(tx.nextRefinementId(), MAIN, ROOT, RefinementKind.REFINE, List.of(), List.of(),
                    List.of(), List.of(), "no digest", Optional.of("k"), Optional.empty(), clock.instant()),
                    List.of(), List.of());
            return null;
        }));
        assertEquals(Optional.empty(), ledger.read(tx -> tx.refinementByIdempotencyKey(ROOT, "k")));
    }

    @Test
    void refinementIdsIncreaseAndAreNeverReusedAfterARollback() {
        long first = ledger.inTransaction(tx -> {
            tx.setRollbackOnly();
            return tx.nextRefinementId();
        });
        long second = ledger.inTransaction(tx -> tx.nextRefinementId());

        assertTrue(second > first);
        assertTrue(ledger.read(tx -> tx.lastRefinementId()) >= 1);
    }

    @Test
    void startWriteFindsTheBranchTheAuthorsKindAndTheMissingInputsAndTakesTheLocks() {
        write("records/a", "{}", "1");
        VibeRef record = VibeRef.of("main", "records/a", 1);
        VibeRef nowhere = VibeRef.of("main", "records/a", 2);
        VibeRef nobody = VibeRef.of("main", "roles/nobody", 1);
        LedgerTransaction.WriteStart start = ledger.inTransaction(tx -> tx.startWrite(MAIN,
                List.of(VibeId.parse("a"), VibeId.parse("b")), ROOT, List.of(record, nowhere, ROOT, nobody))).orElseThrow();
        assertEquals(MAIN, start.branch().name());
        assertEquals(Optional.of(Kind.ROLE), start.authorKind());
        assertEquals(Set.of(nowhere, nobody), start.missing());

        assertEquals(Optional.of(Kind.RECORD),
                ledger.inTransaction(tx -> tx.startWrite(MAIN, List.of(), record, List.of())).orElseThrow().authorKind());
        LedgerTransaction.WriteStart unknownAuthor = ledger.inTransaction(tx -> tx.startWrite(MAIN, List.of(),
                nobody, List.of(record))).orElseThrow();
        assertEquals(Optional.empty(), unknownAuthor.authorKind());
        assertEquals(Set.of(), unknownAuthor.missing());
        assertEquals(Optional.empty(), ledger.inTransaction(tx -> tx.startWrite(new BranchName("nowhere"),
                List.of(VibeId.parse("a")), ROOT, List.of(record))));
    }

    @Test
    void startWriteAnswersAlikeForShortAndLongListsOfIdsAndInputs() {
        // PostgreSQL's statement takes short lists inline and long ones as arrays: both must answer the same
        write("records/a", "{}", "1");
        VibeRef record = VibeRef.of("main", "records/a", 1);
        for (int size : List.of(1, 32, 33, 80)) {
            List<VibeId> ids = new ArrayList<>();
            List<VibeRef> inputs = new ArrayList<>();
            Set<VibeRef> missing = new HashSet<>();
            for (int i = 0; i < size; i++) {
                ids.add(VibeId.parse("ids/n" + i));
                VibeRef absent = VibeRef.of("main", "records/absent" + i, 1);
                inputs.add(i % 2 == 0 ? record : absent);
                if (i % 2 != 0) missing.add(absent);
            }
            LedgerTransaction.WriteStart start = ledger.inTransaction(tx -> tx.startWrite(MAIN,
                    ids.stream().sorted().toList(), ROOT, inputs)).orElseThrow();
            assertEquals(MAIN, start.branch().name(), "size " + size);
            assertEquals(Optional.of(Kind.ROLE), start.authorKind(), "size " + size);
            assertEquals(missing, start.missing(), "size " + size);
            assertEquals(Optional.empty(), ledger.inTransaction(tx -> tx.startWrite(new BranchName("nowhere"),
                    ids, ROOT, inputs)), "size " + size);
        }
    }

    @Test
    void visibleClosureIsTheClosureOfWhatHeadOrVisibleRevisionFinds() {
        write("schemas/leaf", "{'type': 'string'}", "'x'");
        write("schemas/leaf", "{'type': 'string', 'minLength': 1}", "'x'");
        write("schemas/top", "{'properties': {'a': {'$ref': 'aug:/schemas/leaf'}}}", "{'a': 'x'}");
        VibeId top = VibeId.parse("schemas/top");
        VibeId leaf = VibeId.parse("schemas/leaf");
        ledger.read(tx -> {
            for (VibeId id : List.of(top, leaf)) {
                assertEquals(tx.closure(tx.head(MAIN, id, Instant.MAX).orElseThrow().ref()),
                        tx.visibleClosure(MAIN, id, Optional.empty()));
            }
            SchemaClosure closure = tx.visibleClosure(MAIN, top, Optional.empty()).orElseThrow();
            assertEquals(2, closure.schemas().size());
            assertEquals(VibeRef.of("main", "schemas/leaf", 2), closure.schemas().keySet().stream()
                    .filter(r -> !r.equals(closure.root())).findFirst().orElseThrow());
            assertEquals(tx.closure(VibeRef.of("main", "schemas/leaf", 1)),
                    tx.visibleClosure(MAIN, leaf, Optional.of(Revision.of(1))));
            assertEquals(Optional.empty(), tx.visibleClosure(MAIN, leaf, Optional.of(Revision.of(3))));
            assertEquals(Optional.empty(), tx.visibleClosure(MAIN, VibeId.parse("schemas/none"), Optional.empty()));
            return null;
        });
        fork("dev", "main");
        write(new BranchName("dev"), "schemas/leaf", "{'type': 'integer'}", "1");
        ledger.read(tx -> {
            assertEquals(VibeRef.of("dev", "schemas/leaf", 3),
                    tx.visibleClosure(new BranchName("dev"), leaf, Optional.empty()).orElseThrow().root());
            assertEquals(VibeRef.of("main", "schemas/leaf", 2),
                    tx.visibleClosure(MAIN, leaf, Optional.empty()).orElseThrow().root());
            assertEquals(VibeRef.of("main", "schemas/leaf", 2),
                    tx.visibleClosure(new BranchName("dev"), leaf, Optional.of(Revision.of(2))).orElseThrow().root());
            return null;
        });
    }

    @Test
    void readForWriteReadsWhatHeadAndVisibleClosureRead() {
        write("schemas/leaf", "{'type': 'string'}", "'x'");
        write("schemas/leaf", "{'type': 'string', 'minLength': 1}", "'x'");
        write("schemas/top", "{'properties': {'a': {'$ref': 'aug:/schemas/leaf'}, 'b': {'$ref': 'aug:/schemas/leaf?1'}}}",
                "{'a': 'x', 'b': 'y'}");
        fork("dev", "main");
        write(new BranchName("dev"), "schemas/leaf", "{'type': 'integer'}", "1");
        VibeId top = VibeId.parse("schemas/top");
        VibeId leaf = VibeId.parse("schemas/leaf");
        VibeId none = VibeId.parse("schemas/none");
        List<LedgerTransaction.Named> named = List.of(new LedgerTransaction.Named(top, Optional.empty()),
                new LedgerTransaction.Named(leaf, Optional.empty()), new LedgerTransaction.Named(leaf, Optional.of(Revision.of(1))),
                new LedgerTransaction.Named(leaf, Optional.of(Revision.of(9))), new LedgerTransaction.Named(none, Optional.empty()));
        for (BranchName branch : List.of(MAIN, new BranchName("dev"))) {
            ledger.read(tx -> {
                LedgerTransaction.WriteReads reads = tx.readForWrite(branch, List.of(top, leaf, none, top), named);
                assertEquals(List.of(top, leaf, none), List.copyOf(reads.heads().keySet()));
                for (VibeId id : List.of(top, leaf, none)) {
                    assertEquals(tx.head(branch, id, Instant.MAX), reads.heads().get(id), id + " on " + branch);
                }
                assertEquals(named, List.copyOf(reads.closures().keySet()));
                for (LedgerTransaction.Named n : named) {
                    assertEquals(tx.visibleClosure(branch, n.id(), n.revision()), reads.closures().get(n), n + " on " + branch);
                }
                LedgerTransaction.WriteReads nothing = tx.readForWrite(branch, List.of(), List.of());
                assertTrue(nothing.heads().isEmpty() && nothing.closures().isEmpty());
                assertTrue(reads.refinementId().isEmpty() && nothing.refinementId().isEmpty());
                return null;
            });
        }
    }

    @Test
    void readForWriteReservingIdReadsTheSameAndTakesTheNextRefinementId() {
        write("schemas/leaf", "{'type': 'string'}", "'x'");
        VibeId leaf = VibeId.parse("schemas/leaf");
        VibeId none = VibeId.parse("schemas/none");
        List<LedgerTransaction.Named> named = List.of(new LedgerTransaction.Named(leaf, Optional.empty()),
                new LedgerTransaction.Named(none, Optional.empty()));
        long before = ledger.inTransaction(tx -> tx.nextRefinementId());
        long[] reservedIds = ledger.inTransaction(tx -> {
            // found rows, nothing found, nothing asked: each takes an id
            LedgerTransaction.WriteReads reads = tx.readForWriteReservingId(MAIN, List.of(leaf, none), named);
            assertEquals(tx.readForWrite(MAIN, List.of(leaf, none), named).heads(), reads.heads());
            assertEquals(tx.readForWrite(MAIN, List.of(leaf, none), named).closures(), reads.closures());
            LedgerTransaction.WriteReads empty = tx.readForWriteReservingId(MAIN, List.of(none), List.of());
            assertEquals(Optional.empty(), empty.heads().get(none));
            LedgerTransaction.WriteReads nothing = tx.readForWriteReservingId(MAIN, List.of(), List.of());
            return new long[] {reads.refinementId().orElseThrow(), empty.refinementId().orElseThrow(),
                    nothing.refinementId().orElseThrow(), tx.nextRefinementId()};
        });
        assertTrue(before < reservedIds[0] && reservedIds[0] < reservedIds[1] && reservedIds[1] < reservedIds[2]
                && reservedIds[2] < reservedIds[3], java.util.Arrays.toString(reservedIds));
    }

    @Test
    void anAppendOfManyVibesWritesEachWithItsVisibility() {
        int count = 1_203; // more than one statement's worth in the PostgreSQL ledger
        List<VibeRef> refs = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> VibeRef.of("main", "many/v" + i, 1)).toList();
        ledger.inTransaction(tx -> {
            long id = tx.nextRefinementId();
            Instant now = clock.instant();
            tx.append(refinement(id, refs, Optional.empty(), now), refs.stream().map(r -> vibe(r, id, now)).toList(),
                    List.of());
            return null;
        });
        ledger.read(tx -> {
            for (VibeRef ref : List.of(refs.get(0), refs.get(999), refs.get(1000), refs.get(count - 1))) {
                assertEquals(Optional.of(ref), tx.head(MAIN, ref.id(), Instant.MAX).map(Vibe::ref));
            }
            assertEquals(count, tx.heads(MAIN, Instant.MAX, "many/", Optional.empty(), Optional.empty(), 2_000).size());
            // and read back at once (more than one statement's worth in the PostgreSQL ledger too)
            LedgerTransaction.WriteReads reads = tx.readForWrite(MAIN, refs.stream().map(VibeRef::id).toList(),
                    refs.stream().map(r -> new LedgerTransaction.Named(r.id(), Optional.of(r.revision()))).toList());
            assertEquals(count, reads.heads().size());
            assertTrue(refs.stream().allMatch(r -> reads.heads().get(r.id()).orElseThrow().ref().equals(r)));
            assertTrue(reads.closures().values().stream().allMatch(c -> c.orElseThrow().schemas().size() == 1));
            return null;
        });
    }

    @Test
    void visibleOfAndHistoryRefsAnswerAsTheirOneByOneFormsAcrossALineage() {
        write("a", "{}", "1");
        write("a", "{}", "2");
        write("b", "{}", "1");
        fork("dev", "main");
        BranchName dev = new BranchName("dev");
        write(dev, "a", "{}", "3");
        write("a", "{}", "3");
        write(dev, "c", "{}", "1");
        List<VibeRef> refs = java.util.stream.Stream.of("main@a?1", "main@a?2", "main@b?1", "dev@a?3", "main@a?3",
                "dev@c?1", "main@nope?1").map(VibeRef::parse).toList();
        List<VibeId> ids = java.util.stream.Stream.of("a", "b", "c", "nope").map(VibeId::new).toList();
        for (BranchName branch : List.of(MAIN, dev)) {
            ledger.read(tx -> {
                assertEquals(refs.stream().filter(r -> tx.isVisible(r, branch)).collect(java.util.stream.Collectors.toSet()),
                        tx.visibleOf(branch, refs), "visible on " + branch);
                java.util.Map<VibeId, List<VibeRef>> histories = new java.util.LinkedHashMap<>();
                for (VibeId id : ids) {
                    List<VibeRef> history = tx.history(branch, id, Instant.MAX, Integer.MAX_VALUE, Integer.MAX_VALUE)
                            .stream().map(Vibe::ref).toList();
                    if (!history.isEmpty()) histories.put(id, history);
                }
                assertEquals(histories, tx.historyRefs(branch, ids), "histories on " + branch);
                assertEquals(Set.of(), tx.visibleOf(branch, List.of()));
                return null;
            });
        }
    }
}
