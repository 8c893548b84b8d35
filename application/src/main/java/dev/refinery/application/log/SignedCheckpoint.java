package dev.refinery.application.log;

/** A checkpoint as stored: the tree size, its root hash and the signed note that carries both. */
public record SignedCheckpoint(long size, byte[] root, String note) {}
