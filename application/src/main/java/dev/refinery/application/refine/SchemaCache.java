package dev.refinery.application.refine;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What was computed from a schema, by the schema's content: thread-safe, least recently used entries
 * evicted past {@code maxEntries} or past {@code maxNodes} JSON nodes of keys in all. A key is a private
 * copy of the schema and matches only the same document ({@link Key}), so an answer is only ever reused
 * for the same schema. Schemas larger than {@code maxNodes / 8} are not kept.
 */
final class SchemaCache<V> {
    private final int maxEntries;
    private final long maxNodes;
    private final LinkedHashMap<Key, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long nodes;

    /**
     * A schema with its hash computed once, outside the lock. Equal keys are the same document: the same
     * members in the same order, the same values of the same JSON node types (so {@code 1} and {@code 1.0}
     * differ), which networknt cannot tell apart.
     */
    record Key(JsonNode schema, int hash) {
        static Key of(JsonNode schema) {
            return new Key(schema, hash(schema));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && sameDocument(k.schema, schema);
        }

        private static int hash(JsonNode root) {
            int h = 1;
            Deque<JsonNode> todo = new ArrayDeque<>();
            todo.push(root);
            while (!todo.isEmpty()) {
                JsonNode node = todo.pop();
                h = 31 * h + node.getNodeType().ordinal();
                if (node.isObject()) {
                    h = 31 * h + node.size();
                    for (Map.Entry<String, JsonNode> member : node.properties()) {
                        h = 31 * h + member.getKey().hashCode();
                        todo.push(member.getValue());
                    }
                } else if (node.isArray()) {
                    h = 31 * h + node.size();
                    for (JsonNode element : node) todo.push(element);
                } else {
                    h = 31 * h + node.hashCode();
                }
            }
            return h;
        }

        private static boolean sameDocument(JsonNode a, JsonNode b) {
            Deque<JsonNode> todo = new ArrayDeque<>();
            todo.push(a);
            todo.push(b);
            while (!todo.isEmpty()) {
                JsonNode x = todo.pop();
                JsonNode y = todo.pop();
                if (x.getClass() != y.getClass() || x.size() != y.size()) return false;
                if (x.isObject()) {
                    Iterator<Map.Entry<String, JsonNode>> xs = x.properties().iterator();
                    Iterator<Map.Entry<String, JsonNode>> ys = y.properties().iterator();
                    while (xs.hasNext()) {
                        Map.Entry<String, JsonNode> xm = xs.next();
                        Map.Entry<String, JsonNode> ym = ys.next();
                        if (!xm.getKey().equals(ym.getKey())) return false;
                        todo.push(xm.getValue());
                        todo.push(ym.getValue());
                    }
                } else if (x.isArray()) {
                    for (int i = 0; i < x.size(); i++) {
                        todo.push(x.get(i));
                        todo.push(y.get(i));
                    }
                } else if (!x.equals(y)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Entry<V>(V value, long nodes) {}

    SchemaCache(int maxEntries, long maxNodes) {
        if (maxEntries < 1 || maxNodes < 1) throw new IllegalArgumentException("bounds must be positive");
        this.maxEntries = maxEntries;
        this.maxNodes = maxNodes;
    }

    synchronized V get(Key key) {
        Entry<V> e = entries.get(key);
        return e == null ? null : e.value();
    }

    /**
     * Keeps {@code compute(copy)} for {@code key}, computed from a private copy of its schema (which
     * therefore nobody else can change). When the schema is too large to keep, {@code compute} is
     * given the schema itself and nothing is kept.
     *
     * @return the value computed
     */
    V put(Key key, Function<JsonNode, V> compute) {
        long size = size(key.schema(), maxNodes / 8 + 1);
        if (size > maxNodes / 8) return compute.apply(key.schema());
        Key own = new Key(key.schema().deepCopy(), key.hash());
        V value = compute.apply(own.schema());
        synchronized (this) {
            Entry<V> previous = entries.put(own, new Entry<>(value, size));
            if (previous != null) nodes -= previous.nodes();
            nodes += size;
            Iterator<Entry<V>> eldest = entries.values().iterator();
            while ((entries.size() > maxEntries || nodes > maxNodes) && eldest.hasNext()) {
                nodes -= eldest.next().nodes();
                eldest.remove();
            }
        }
        return value;
    }

    synchronized void remove(Key key) {
        Entry<V> e = entries.remove(key);
        if (e != null) nodes -= e.nodes();
    }

    synchronized int size() {
        return entries.size();
    }

    /** The number of JSON nodes of {@code root}, counted up to {@code limit}. */
    static long size(JsonNode root, long limit) {
        long count = 0;
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty() && count < limit) {
            JsonNode node = todo.pop();
            count++;
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> member : node.properties()) todo.push(member.getValue());
            } else if (node.isArray()) {
                for (JsonNode element : node) todo.push(element);
            }
        }
        return count;
    }
}
