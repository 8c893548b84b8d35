package dev.refinery.domain.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.domain.ContentDigest;
import dev.refinery.domain.Digest;
import dev.refinery.domain.Refinement;
import dev.refinery.domain.VibeRef;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What one leaf of the log holds: the RFC 8785 canonical JSON of a refinement record with the
 * content digest of each of its outputs, so a leaf commits to every vibe the refinement wrote.
 */
public final class LogLeaf {
    private LogLeaf() {}

    /** The canonical leaf text; {@code outputDigests} holds a digest for every output ref. */
    public static String canonical(Refinement r, Map<VibeRef, Digest> outputDigests) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode refinement = f.objectNode();
        refinement.put("id", r.id());
        refinement.put("branch", r.branch().value());
        refinement.put("authorRef", r.authorRef().toString());
        refinement.put("kind", r.kind().wireName());
        refinement.set("targetRefs", refs(r.targetRefs()));
        refinement.set("instructionRefs", refs(r.instructionRefs()));
        refinement.set("budgetRefs", refs(r.budgetRefs()));
        refinement.set("outputRefs", refs(r.outputRefs()));
        refinement.put("message", r.message());
        refinement.put("idempotencyKey", r.idempotencyKey().orElse(null));
        refinement.put("createdAt", r.createdAt().toString());
        ArrayNode outputs = f.arrayNode();
        for (VibeRef ref : r.outputRefs()) {
            Digest digest = outputDigests.get(ref);
            if (digest == null) throw new IllegalArgumentException("no digest for output " + ref + " of refinement " + r.id());
            outputs.addObject().put("ref", ref.toString()).put("digest", digest.value());
        }
        ObjectNode leaf = f.objectNode();
        leaf.set("refinement", refinement);
        leaf.set("outputs", outputs);
        return ContentDigest.canonical(leaf);
    }

    public static byte[] bytes(Refinement r, Map<VibeRef, Digest> outputDigests) {
        return canonical(r, outputDigests).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] hash(Refinement r, Map<VibeRef, Digest> outputDigests) {
        return MerkleHash.leaf(bytes(r, outputDigests));
    }

    private static ArrayNode refs(List<VibeRef> refs) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        refs.forEach(ref -> a.add(ref.toString()));
        return a;
    }
}
