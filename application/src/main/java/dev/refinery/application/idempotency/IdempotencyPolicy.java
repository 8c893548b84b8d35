package dev.refinery.application.idempotency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.port.LedgerTransaction;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.RefinementKind;
import dev.refinery.domain.VibeRef;

import java.util.Optional;

/**
 * The one rule for the idempotency keys of refines, merges and process starts.
 * <ul>
 *   <li>A key is 1 to {@value #MAX_KEY_LENGTH} characters, not blank, storable text ({@link dev.refinery.domain.StorableText}:
 *   no U+0000, no lone UTF-16 surrogate). An absent or empty key is no key.</li>
 *   <li>Keys are the author's own: the same key of two authors names two requests.</li>
 *   <li>A key names one request. Its <em>request digest</em> is stored with it: SHA-256 of the RFC 8785
 *   canonical JSON of the command without its key and author, tagged with what it asks for
 *   ({@code {"request": "refine" | "merge" | "process", …}}). The same key with the same digest is a retry and
 *   answers the first result; with another digest it is {@link Repeat#REUSED}: refused, naming the first.</li>
 *   <li>A request recorded before digests were stored has none: a repeat of its key is taken as a retry.</li>
 * </ul>
 */
public final class IdempotencyPolicy {
    public static final int MAX_KEY_LENGTH = 200;

    /** The key spaces: refines and merges share one (both are refinements), process starts have theirs. */
    public enum Space { REFINEMENTS, PROCESSES }

    /** What a repeated key is. */
    public enum Repeat {
        /** The same request again: answer the first result. */
        RETRY,
        /** Another request under the key: refuse it, naming the first. */
        REUSED
    }

    private IdempotencyPolicy() {}

    /** Why {@code key} (not empty) is no idempotency key, or empty when it is one. */
    public static Optional<String> problem(String key) {
        Optional<String> unstorable = dev.refinery.domain.StorableText.problem(key);
        if (unstorable.isPresent()) return unstorable;
        if (key.length() > MAX_KEY_LENGTH || key.isBlank()) {
            return Optional.of("must be 1 to " + MAX_KEY_LENGTH + " characters and not blank");
        }
        return Optional.empty();
    }

    /**
     * The key a command carries: empty for an absent ({@code null} too) or empty key.
     *
     * @throws IllegalArgumentException when it breaks the rule
     */
    public static Optional<String> key(Optional<String> key) {
        Optional<String> k = key == null ? Optional.empty() : key.filter(s -> !s.isEmpty());
        k.flatMap(IdempotencyPolicy::problem).ifPresent(p -> {
            throw new IllegalArgumentException("idempotencyKey " + p);
        });
        return k;
    }

    /**
     * The request digest of a command: {@code fields} (the command without key and author) with
     * {@code "request": what}, canonical (RFC 8785) and hashed (SHA-256).
     */
    public static Digest digest(String what, ObjectNode fields) {
        ObjectNode request = fields.deepCopy();
        request.put("request", what);
        return ContentDigest.ofJson(request);
    }

    /** A request with the digest {@code now} repeats the key of the first request, whose digest is {@code first}. */
    public static Repeat repeat(Optional<Digest> first, Digest now) {
        return first.map(now::equals).orElse(true) ? Repeat.RETRY : Repeat.REUSED;
    }

    /** What {@code LedgerTransaction.lockIdempotencyKey} serializes on: one author's key in one space. */
    public static String lockName(Space space, VibeRef author, String key) {
        return space.name().toLowerCase(java.util.Locale.ROOT) + "|" + author + "|" + key;
    }

    /** The refinement written before under a key, and whether this request repeats it. */
    public record Prior(Refinement first, Repeat repeat) {
    }

    /**
     * Locks {@code author}'s {@code key} among refinements (refines and merges share the space) and finds what was
     * written under it before: a {@link Repeat#RETRY} when it is of {@code kind} and has the same request digest,
     * else {@link Repeat#REUSED}.
     */
    public static Optional<Prior> priorRefinement(LedgerTransaction tx, VibeRef author, String key, RefinementKind kind,
                                                 Digest digest) {
        tx.lockIdempotencyKey(lockName(Space.REFINEMENTS, author, key));
        return tx.refinementByIdempotencyKey(author, key).map(first -> new Prior(first,
                first.kind() == kind && repeat(first.requestDigest(), digest) == Repeat.RETRY ? Repeat.RETRY
                        : Repeat.REUSED));
    }
}
