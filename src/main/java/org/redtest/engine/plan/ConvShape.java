package org.redtest.engine.plan;

/** A 2-D convolution's geometry (square kernel, equal stride and padding on both axes, no dilation). */
public record ConvShape(SampleShape in, SampleShape out, int kernel, int stride, int padding, boolean bias) {
    public int weightCount() {
        return out.channels() * in.channels() * kernel * kernel;
    }
}
