package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.log.LogEntry;
import dev.refinery.application.log.LogUseCases.ConsistencyOutcome;
import dev.refinery.application.log.LogUseCases.ConsistencyProofUseCase;
import dev.refinery.application.log.LogUseCases.InclusionOutcome;
import dev.refinery.application.log.LogUseCases.InclusionProofUseCase;
import dev.refinery.application.log.LogUseCases.LatestCheckpointUseCase;
import dev.refinery.application.log.LogUseCases.LeafUseCase;
import dev.refinery.application.log.LogUseCases.VerifierKeyUseCase;
import dev.refinery.application.log.SignedCheckpoint;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code /v1/log}: the transparency log's signed checkpoint, its key, a refinement's leaf, and
 * inclusion and consistency proofs (RFC 9162). Hashes are base64, as in the checkpoint.
 */
final class TransparencyLogService implements HttpService {
    private static final String TEXT = "text/plain; charset=utf-8";

    private final LatestCheckpointUseCase checkpoint;
    private final VerifierKeyUseCase key;
    private final LeafUseCase leaf;
    private final InclusionProofUseCase inclusion;
    private final ConsistencyProofUseCase consistency;
    private final Json json;

    TransparencyLogService(LatestCheckpointUseCase checkpoint, VerifierKeyUseCase key, LeafUseCase leaf,
                           InclusionProofUseCase inclusion, ConsistencyProofUseCase consistency, Json json) {
        this.checkpoint = checkpoint;
        this.key = key;
        this.leaf = leaf;
        this.inclusion = inclusion;
        this.consistency = consistency;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/checkpoint", this::checkpoint).any("/checkpoint", ErrorResponses.allow("GET"))
                .get("/key", this::key).any("/key", ErrorResponses.allow("GET"))
                .get("/leaves/{refinementId}", this::leaf).any("/leaves/{refinementId}", ErrorResponses.allow("GET"))
                .get("/proof/inclusion", this::inclusion).any("/proof/inclusion", ErrorResponses.allow("GET"))
                .get("/proof/consistency", this::consistency).any("/proof/consistency", ErrorResponses.allow("GET"));
    }

    private void checkpoint(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        SignedCheckpoint head = checkpoint.latestCheckpoint()
                .orElseThrow(() -> Problem.notFound("the log has no checkpoint yet: the sequencer writes one within its interval"));
        text(res, head.note());
    }

    private void key(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        text(res, key.verifierKey() + "\n");
    }

    private void leaf(ServerRequest req, ServerResponse res) {
        QueryParams.of(req);
        long id = positive("refinement id", req.path().pathParameters().get("refinementId"));
        LogEntry entry = leaf.leaf(id).orElseThrow(() -> Problem.notFound(
                "refinement " + id + " is not in the log (it does not exist or is not integrated yet)"));
        ObjectNode body = json.object();
        body.put("index", entry.index());
        body.put("refinementId", entry.refinementId());
        body.put("leaf", entry.leaf());
        body.put("hash", base64(entry.leafHash()));
        json.send(res, 200, body);
    }

    private void inclusion(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "refinement", "size");
        long id = positive("query parameter 'refinement'", q.text("refinement")
                .orElseThrow(() -> Problem.badRequest("query parameter 'refinement' is required")));
        OptionalLong size = q.text("size").map(s -> OptionalLong.of(positive("query parameter 'size'", s)))
                .orElse(OptionalLong.empty());
        switch (inclusion.inclusion(id, size)) {
            case InclusionOutcome.Proof p -> {
                ObjectNode body = json.object();
                body.put("index", p.index());
                body.put("size", p.size());
                body.set("hashes", hashes(p.hashes()));
                json.send(res, 200, body);
            }
            case InclusionOutcome.NotIntegrated n -> throw Problem.notFound(
                    "refinement " + n.refinementId() + " is not in the log (it does not exist or is not integrated yet)");
            case InclusionOutcome.BadSize b -> throw Problem.invalid(b.reason(), List.of());
        }
    }

    private void consistency(ServerRequest req, ServerResponse res) {
        QueryParams q = QueryParams.of(req, "from", "to");
        long from = positive("query parameter 'from'", q.text("from")
                .orElseThrow(() -> Problem.badRequest("query parameter 'from' is required")));
        long to = positive("query parameter 'to'", q.text("to")
                .orElseThrow(() -> Problem.badRequest("query parameter 'to' is required")));
        switch (consistency.consistency(from, to)) {
            case ConsistencyOutcome.Proof p -> {
                ObjectNode body = json.object();
                body.put("from", p.from());
                body.put("to", p.to());
                body.set("hashes", hashes(p.hashes()));
                json.send(res, 200, body);
            }
            case ConsistencyOutcome.BadSizes b -> throw Problem.invalid(b.reason(), List.of());
        }
    }

    private ArrayNode hashes(List<byte[]> hashes) {
        ArrayNode a = json.array();
        hashes.forEach(h -> a.add(base64(h)));
        return a;
    }

    private static String base64(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }

    private static void text(ServerResponse res, String body) {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, TEXT);
        res.send(body.getBytes(StandardCharsets.UTF_8));
    }

    private static long positive(String what, String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 1 && text.matches("[0-9]+")) return n;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Problem.badRequest(what + " is a positive whole number, not '" + text + "'");
    }
}
