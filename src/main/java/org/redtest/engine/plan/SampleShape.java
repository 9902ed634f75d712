package org.redtest.engine.plan;

/** The shape of one sample's activation: channels x height x width (features x 1 x 1 for a flat one). */
public record SampleShape(int channels, int height, int width) {
    public static SampleShape flat(int features) {
        return new SampleShape(features, 1, 1);
    }

    /** Values per sample. */
    public int size() {
        return channels * height * width;
    }

    public int plane() {
        return height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
