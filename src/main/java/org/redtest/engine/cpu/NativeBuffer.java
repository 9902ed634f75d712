package org.redtest.engine.cpu;

import org.bytedeco.javacpp.FloatPointer;
import org.redtest.engine.plan.Buffer;

import java.nio.FloatBuffer;

/**
 * A range of floats in native memory, made by {@link OneDnnKernels}: oneDNN reads it by address, Java loops
 * through a direct {@link FloatBuffer} over the whole allocation (indexed from {@link #offset}).
 */
record NativeBuffer(FloatPointer owner, FloatBuffer values, long offset, long count) implements Buffer {
    /** {@code length} zeros, the first at a 64-byte boundary (a cache line; what AVX-512 loads want). */
    static NativeBuffer allocate(long length) {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("buffer of " + length + " values is too large for the CPU kernels");
        }
        FloatPointer p = new FloatPointer(Math.max(1, length) + 16);
        p.zero();
        long misaligned = p.address() % 64;
        long offset = misaligned == 0 ? 0 : (64 - misaligned) / 4;
        return new NativeBuffer(p, p.asBuffer(), offset, length);
    }

    @Override
    public long length() {
        return count;
    }

    @Override
    public Buffer slice(long from, long length) {
        if (from < 0 || length < 0 || from + length > count) {
            throw new IndexOutOfBoundsException("slice " + from + "+" + length + " of " + count);
        }
        return new NativeBuffer(owner, values, offset + from, length);
    }

    /** The address of the first value. */
    long address() {
        return owner.address() + 4 * offset;
    }

    /** The buffer as a pointer the library calls take. */
    FloatPointer pointer() {
        return OneDnn.floatsAt(address(), count);
    }

    float get(long i) {
        return values.get((int) (offset + i));
    }

    void set(long i, float v) {
        values.put((int) (offset + i), v);
    }

    void free() {
        owner.close();
    }
}
