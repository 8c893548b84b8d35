package dev.refinery.domain.schema;

import dev.refinery.domain.VibeRef;

/** The inlined view of a schema would pass one of the resolver's caps, so no document is produced. */
public final class SchemaTooLargeException extends RuntimeException {

    public SchemaTooLargeException(String message) {
        super(message);
    }

    static SchemaTooLargeException tooManyNodes(int maxInlinedNodes) {
        return new SchemaTooLargeException("the inlined schema has more than " + maxInlinedNodes
                + " JSON nodes (maxInlinedNodes = " + maxInlinedNodes + "); read the bundled view instead");
    }

    static SchemaTooLargeException tooManyBytes(long bytes, long maxInlinedBytes) {
        String size = bytes == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(bytes);
        return new SchemaTooLargeException("the inlined schema would be " + size + " bytes of JSON (maxInlinedBytes = "
                + maxInlinedBytes + "); read the bundled view instead");
    }

    static SchemaTooLargeException tooDeep(int maxInlineDepth, String pointer, VibeRef ref) {
        return new SchemaTooLargeException("schema references nest more than " + maxInlineDepth
                + " levels deep (maxInlineDepth = " + maxInlineDepth + "): " + ref + " would be inlined at '"
                + pointer + "' at depth " + (maxInlineDepth + 1) + "; read the bundled view instead");
    }
}
