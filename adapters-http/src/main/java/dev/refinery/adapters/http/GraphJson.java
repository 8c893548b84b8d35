package dev.refinery.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.application.port.Edge;
import dev.refinery.application.port.ImpactItem;
import dev.refinery.application.refine.ImpactReport;
import dev.refinery.domain.VibeRef;
import dev.refinery.domain.Violation;

import java.util.List;
import java.util.function.Function;

/** The dependency graph as the API answers it: edges, impact items and dry-run impact reports. */
final class GraphJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private GraphJson() {}

    /** {@code {items: [{ref, type, pinned, depth}]}} where {@code ref} is the far end of each edge. */
    static ObjectNode edges(List<Edge> edges, Function<Edge, VibeRef> farEnd) {
        ObjectNode o = JSON.objectNode();
        ArrayNode items = o.putArray("items");
        for (Edge e : edges) {
            items.addObject()
                    .put("ref", farEnd.apply(e).toString())
                    .put("type", e.type().wireName())
                    .put("pinned", e.pinned())
                    .put("depth", e.depth());
        }
        return o;
    }

    static ObjectNode impact(List<ImpactItem> impact) {
        ObjectNode o = JSON.objectNode();
        ArrayNode items = o.putArray("items");
        for (ImpactItem i : impact) {
            items.addObject().put("ref", i.ref().toString()).put("depth", i.depth()).put("floating", i.floating());
        }
        return o;
    }

    static ObjectNode report(ImpactReport report) {
        ObjectNode o = JSON.objectNode();
        o.put("id", report.id().value());
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
