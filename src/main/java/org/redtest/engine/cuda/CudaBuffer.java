package org.redtest.engine.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.redtest.engine.plan.Buffer;

/** A range of floats in device memory: its address and length. */
record CudaBuffer(long address, long count) implements Buffer {
    @Override
    public long length() {
        return count;
    }

    @Override
    public Buffer slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > count) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + count);
        }
        return new CudaBuffer(address + 4 * offset, length);
    }

    /** The address as a JavaCPP pointer the library calls take (no position, no deallocator). */
    FloatPointer pointer() {
        return new DevicePointer(address, count);
    }

    private static final class DevicePointer extends FloatPointer {
        DevicePointer(long address, long count) {
            this.address = address;
            this.limit = count;
            this.capacity = count;
        }
    }
}
