package org.redtest.data;

import org.redtest.RedTestException;

import java.util.Arrays;

/**
 * Per-channel input standardisation, {@code value = (byte/255 - mean[c]) / std[c]}, as torchvision's
 * {@code ToTensor -> Normalize}. The arrays are copied in and out, so an instance is immutable.
 */
public record ChannelNormalization(double[] mean, double[] std) {

    /** The CIFAR-10 statistics used by the common PyTorch training scripts the paper follows. */
    public static final ChannelNormalization CIFAR10 = new ChannelNormalization(
            new double[]{0.4914, 0.4822, 0.4465}, new double[]{0.2023, 0.1994, 0.2010});

    public ChannelNormalization {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new RedTestException("channel normalisation needs one mean and one std per channel, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new RedTestException("channel normalisation std must be positive and finite, got "
                        + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /**
     * Mean and population std of {@code pixel/255} per channel over the whole set. Counting byte values
     * first makes the sums exact integers, so the result does not depend on summation order.
     */
    public static ChannelNormalization fromData(ImageDataset data) {
        int channels = data.channels();
        int plane = data.height() * data.width();
        int bytes = data.imageBytes();
        byte[] pixels = data.pixels();
        long[][] histogram = new long[channels][256];
        for (int i = 0; i < data.size(); i++) {
            for (int c = 0; c < channels; c++) {
                long[] h = histogram[c];
                int from = i * bytes + c * plane;
                for (int p = from; p < from + plane; p++) {
                    h[pixels[p] & 0xFF]++;
                }
            }
        }
        double n = (double) data.size() * plane;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int v = 0; v < 256; v++) {
                sum += histogram[c][v] * (v / 255.0);
            }
            mean[c] = sum / n;
            double squares = 0;
            for (int v = 0; v < 256; v++) {
                double d = v / 255.0 - mean[c];
                squares += histogram[c][v] * d * d;
            }
            std[c] = Math.sqrt(squares / n);
            if (std[c] == 0) {
                throw new RedTestException("dataset " + data.name() + ": channel " + c
                        + " is constant, cannot normalise it");
            }
        }
        return new ChannelNormalization(mean, std);
    }

    /** {@code table[c][b]} is the normalised value of byte {@code b} in channel {@code c}. */
    public float[][] lookupTable() {
        float[][] table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int b = 0; b < 256; b++) {
                table[c][b] = (float) ((b / 255.0 - mean[c]) / std[c]);
            }
        }
        return table;
    }

    /** Normalises one CHW image (planes of {@code planeSize} bytes); builds the table on every call. */
    public void apply(byte[] src, int srcOffset, int planeSize, float[] dst, int dstOffset) {
        apply(lookupTable(), src, srcOffset, planeSize, dst, dstOffset);
    }

    /** Normalises one CHW image with a table from {@link #lookupTable()}: the fast path for batches. */
    public static void apply(float[][] table, byte[] src, int srcOffset, int planeSize, float[] dst,
                             int dstOffset) {
        for (int c = 0; c < table.length; c++) {
            float[] t = table[c];
            int s = srcOffset + c * planeSize;
            int d = dstOffset + c * planeSize;
            for (int p = 0; p < planeSize; p++) {
                dst[d + p] = t[src[s + p] & 0xFF];
            }
        }
    }

    // by value, not array identity, so a checkpoint's normalisation can be compared with the config's
    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelNormalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ChannelNormalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
