package dev.refinery.application.log;

/** A refinement's place in the log: its leaf index, the stored leaf hash and the canonical leaf text. */
public record LogEntry(long index, long refinementId, byte[] leafHash, String leaf) {}
