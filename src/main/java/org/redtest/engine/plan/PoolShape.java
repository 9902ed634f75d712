package org.redtest.engine.plan;

/**
 * A 2-D pooling window: max, or average dividing by the real pixels under the window
 * ({@code countPadding} false) or by the whole window. A global average pool is a window of the input's size.
 */
public record PoolShape(SampleShape in, SampleShape out, boolean max, int kernelH, int kernelW, int stride, int padding,
                        boolean countPadding) {
    public static PoolShape global(SampleShape in) {
        return new PoolShape(in, SampleShape.flat(in.channels()), false, in.height(), in.width(), 1, 0, true);
    }
}
