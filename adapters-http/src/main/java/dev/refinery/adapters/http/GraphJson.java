package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.port.Edge;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.application.read.Page;
import dev.refinery.application.refine.ImpactReport;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.List;
import java.util.function.Function;

/** The dependency graph as the API answers it: edges, impact items and dry-run impact reports. */
final class GraphJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private GraphJson() {}

    /**
     * A page of edges: {@code {items: [{ref, type, pinned, depth}], nextCursor}} where {@code ref} is the far end
     * of each edge.
     */
    static ObjectNode edges(Page<Edge> page, Function<Edge, VibeRef> farEnd) {
        return VibeJson.page(page, e -> JSON.objectNode()
                .put("ref", farEnd.apply(e).toString())
                .put("type", e.type().wireName())
                .put("pinned", e.pinned())
                .put("depth", e.depth()));
    }

    /** A page of impact: {@code {items: [{ref, depth, floating}], nextCursor}}. */
    static ObjectNode impact(Page<ImpactItem> page) {
        return VibeJson.page(page, i -> JSON.objectNode()
                .put("ref", i.ref().toString())
                .put("depth", i.depth())
                .put("floating", i.floating()));
    }

    static ObjectNode report(ImpactReport report) {
        ObjectNode o = JSON.objectNode();
        o.put("id", report.id().value());
        o.put("truncated", report.truncated());
        ArrayNode dependents = o.putArray("dependents");
        for (ImpactReport.Dependent d : report.dependents()) {
            ObjectNode item = dependents.addObject()
                    .put("ref", d.ref().toString())
                    .put("depth", d.depth())
                    .put("floating", d.floating())
                    .put("stillValid", d.stillValid());
            item.set("errors", violations(d.violations()));
        }
        return o;
    }

    static ArrayNode violations(List<Violation> violations) {
        ArrayNode a = JSON.arrayNode();
        violations.forEach(v -> a.addObject().put("pointer", v.pointer()).put("message", v.message()));
        return a;
    }
}
