package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.branch.BranchUseCases.Difference;
import dev.refinery.domain.Branch;
import dev.refinery.domain.BranchName;

/** Branches and branch differences as the API answers them. */
final class BranchJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private BranchJson() {}

    /** A branch with its base and fork point ({@code main} has neither: null base, fork point 0). */
    static ObjectNode branch(Branch b) {
        ObjectNode o = JSON.objectNode();
        o.put("name", b.name().value());
        o.put("base", b.base().map(BranchName::value).orElse(null));
        o.put("forkRefinementId", b.forkRefinementId());
        o.put("createdAt", b.createdAt().toString());
        o.put("createdBy", b.createdBy().toString());
        return o;
    }

    static ObjectNode difference(Difference d) {
        ObjectNode o = JSON.objectNode();
        o.put("id", d.id().value());
        o.put("from", VibeJson.refOrNull(d.from()));
        o.put("to", VibeJson.refOrNull(d.to()));
        return o;
    }
}
