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
 * copy of the schema, compared by JSON equality (objects ignore member order; {@code 1} and {@code 1.0}
 * differ), so an answer is only ever reused for the same schema. Schemas larger than {@code maxNodes / 8}
 * are not kept.
 */
final class SchemaCache<V> {
    private final int maxEntries;
    private final long maxNodes;
    private final LinkedHashMap<Key, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long nodes;

    /** A schema with its hash computed once, outside the lock. */
    record Key(JsonNode schema, int hash) {
        static Key of(JsonNode schema) {
            return new Key(schema, schema.hashCode());
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.schema.equals(schema);
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
