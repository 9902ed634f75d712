package org.redtest.engine.plan;

/** A range of float values on some device, made by {@link Kernels#allocate} or as a slice of one. */
public interface Buffer {
    long length();

    /** The {@code length} values from {@code offset} on: a view, not a copy. */
    Buffer slice(long offset, long length);
}
