package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.refine.MergeCommand;
import dev.refinery.application.refine.Resolution;
import dev.refinery.domain.BranchName;
import dev.refinery.domain.VibeId;
import dev.refinery.application.auth.Principal;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The merge body of API.md → a {@link MergeCommand} authored by the caller's role. Each resolution is
 * {@code "source"}, {@code "target"} or a vibe body (whose id, when given, is the id it resolves).
 */
final class MergeRequestMapper {
    private static final Set<String> FIELDS = Set.of("source", "target", "message", "idempotencyKey", "resolutions");

    MergeCommand command(JsonNode body, Principal caller) {
        BodyReader in = new BodyReader();
        ObjectNode o = in.root(body, FIELDS);
        Optional<BranchName> source = in.requiredParsed(o, "", "source", BranchName::parse);
        Optional<BranchName> target = in.requiredParsed(o, "", "target", BranchName::parse);
        if (source.isPresent() && source.equals(target)) in.invalid("/target", "is the same branch as the source");
        String message = in.storableString(o, "", "message").orElse("");
        Optional<String> key = RefineRequestMapper.idempotencyKey(in, o);
        Map<VibeId, Resolution> resolutions = resolutions(in, o);
        in.throwIfAnything();
        try {
            return new MergeCommand(source.orElseThrow(), target.orElseThrow(), caller, message, resolutions, key);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage(), List.of());
        }
    }

    private static Map<VibeId, Resolution> resolutions(BodyReader in, ObjectNode o) {
        Map<VibeId, Resolution> resolutions = new LinkedHashMap<>();
        JsonNode node = o.get("resolutions");
        if (node == null || node.isNull()) return resolutions;
        if (!node.isObject()) {
            in.wrongShape("/resolutions", "must be an object of id to \"source\", \"target\" or a vibe body, not "
                    + BodyReader.typeOf(node));
            return resolutions;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = "/resolutions/" + Violation.escape(e.getKey());
            Optional<VibeId> id = in.parse(e.getKey(), at, VibeId::parse);
            if (id.isEmpty()) continue;
            JsonNode value = e.getValue();
            if (value.isTextual() && value.textValue().equals("source")) {
                resolutions.put(id.get(), new Resolution.TakeSource());
            } else if (value.isTextual() && value.textValue().equals("target")) {
                resolutions.put(id.get(), new Resolution.TakeTarget());
            } else if (value.isObject()) {
                RefineRequestMapper.draft(in, value, at, id)
                        .ifPresent(draft -> resolutions.put(id.get(), new Resolution.Write(draft)));
            } else if (value.isTextual()) {
                in.invalid(at, "must be \"source\", \"target\" or a vibe body, not \"" + value.textValue() + "\"");
            } else {
                in.wrongShape(at, "must be \"source\", \"target\" or a vibe body, not " + BodyReader.typeOf(value));
            }
        }
        return resolutions;
    }
}
