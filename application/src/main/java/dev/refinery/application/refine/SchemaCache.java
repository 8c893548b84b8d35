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
 * evicted past {@code maxEntries} or past {@code maxBytes} of memory in all (an estimate: the key's tree,
 * {@link #bytes}, times the value's weight per byte of schema, plus what {@link #grow} added later). A key is a
 * private copy of the schema and matches only the same document ({@link Key}), so an answer is only ever reused
 * for the same schema. Entries weighing more than {@code maxBytes / 8} are not kept.
 */
final class SchemaCache<V> {
    /** The estimated memory of a JSON tree: per node (object, header, map entry) and per character. */
    static final long BYTES_PER_NODE = 64;

    private final int maxEntries;
    private final long maxBytes;
    private final long factor;
    private final LinkedHashMap<Key, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

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

    private record Entry<V>(V value, long bytes) {}

    /**
     * @param factor what an entry weighs per estimated byte of its schema's tree: 1 for the key alone, more when
     *               the value is larger than the key (a compiled schema is several times its document)
     */
    SchemaCache(int maxEntries, long maxBytes, long factor) {
        if (maxEntries < 1 || maxBytes < 1 || factor < 1) throw new IllegalArgumentException("bounds must be positive");
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.factor = factor;
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
        long limit = maxBytes / 8;
        long size = bytes(key.schema(), limit / factor + 1) * factor;
        if (size > limit) return compute.apply(key.schema());
        Key own = new Key(key.schema().deepCopy(), key.hash());
        V value = compute.apply(own.schema());
        synchronized (this) {
            Entry<V> previous = entries.put(own, new Entry<>(value, size));
            if (previous != null) bytes -= previous.bytes();
            bytes += size;
            evict();
        }
        return value;
    }

    /**
     * Adds {@code more} bytes to the weight of {@code key}'s entry, for what its value came to hold after it was
     * kept (a compiled schema compiles its patterns when a validation first reaches them); an entry that grew past
     * {@code maxBytes / 8} is dropped.
     */
    synchronized void grow(Key key, long more) {
        Entry<V> e = entries.get(key);
        if (e == null || more <= 0) return;
        long size = e.bytes() + more;
        if (size > maxBytes / 8) {
            remove(key);
            return;
        }
        entries.put(key, new Entry<>(e.value(), size));
        bytes += more;
        evict();
    }

    private void evict() {
        Iterator<Entry<V>> eldest = entries.values().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= eldest.next().bytes();
            eldest.remove();
        }
    }

    synchronized void remove(Key key) {
        Entry<V> e = entries.remove(key);
        if (e != null) bytes -= e.bytes();
    }

    /** The estimated bytes of all entries. */
    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * The estimated memory of {@code root}'s tree, counted up to {@code limit}: {@value #BYTES_PER_NODE} per node
     * and one per character of its keys and strings (a long string is one node and many bytes).
     */
    static long bytes(JsonNode root, long limit) {
        long count = 0;
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty() && count < limit) {
            JsonNode node = todo.pop();
            count += BYTES_PER_NODE;
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> member : node.properties()) {
                    count += member.getKey().length();
                    todo.push(member.getValue());
                }
            } else if (node.isArray()) {
                for (JsonNode element : node) todo.push(element);
            } else if (node.isTextual()) {
                count += node.textValue().length();
            }
        }
        return count;
    }
}
