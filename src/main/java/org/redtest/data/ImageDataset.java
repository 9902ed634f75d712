package org.redtest.data;

import org.redtest.RedTestException;

import java.util.Arrays;

/**
 * An in-memory labelled image set. Pixels are uint8 stored image-major, each image CHW row-major,
 * so one image is a contiguous slice of {@link #imageBytes()} bytes; this keeps the whole of CIFAR
 * (150 MB) in one array and lets batches be built with plain index arithmetic.
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 */
public record ImageDataset(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                           int numClasses) {

    public ImageDataset {
        if (name == null || name.isBlank()) {
            throw new RedTestException("image dataset needs a name");
        }
        if (channels < 1 || height < 1 || width < 1 || numClasses < 1) {
            throw new RedTestException("dataset " + name + ": invalid shape " + channels + "x" + height + "x" + width
                    + " with " + numClasses + " classes");
        }
        if (pixels == null || labels == null) {
            throw new RedTestException("dataset " + name + ": pixels and labels are required");
        }
        if (labels.length == 0) {
            throw new RedTestException("dataset " + name + " has no images");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new RedTestException("dataset " + name + ": " + pixels.length + " pixel bytes for " + labels.length
                    + " images of " + channels + "x" + height + "x" + width + " (expected " + expected + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new RedTestException("dataset " + name + ": label " + labels[i] + " of image " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int imageBytes() {
        return channels * height * width;
    }

    /** The first {@code n} images (a deterministic subset for quick runs). */
    public ImageDataset firstN(int n) {
        if (n < 1 || n > size()) {
            throw new RedTestException("dataset " + name + ": cannot take the first " + n + " images, it has "
                    + size() + " (need 1.." + size() + ")");
        }
        return new ImageDataset(name, Arrays.copyOf(pixels, n * imageBytes()), Arrays.copyOf(labels, n),
                channels, height, width, numClasses);
    }

    /**
     * The first {@code nPerClass} images of every class, in their original order: a class-balanced
     * subset that is still deterministic.
     */
    public ImageDataset perClass(int nPerClass) {
        if (nPerClass < 1) {
            throw new RedTestException("dataset " + name + ": images per class must be at least 1, got " + nPerClass);
        }
        int[] counts = classCounts();
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] < nPerClass) {
                throw new RedTestException("dataset " + name + " has only " + counts[c] + " images of class " + c
                        + ", fewer than the " + nPerClass + " per class requested");
            }
        }
        int total = nPerClass * numClasses;
        int bytes = imageBytes();
        byte[] outPixels = new byte[total * bytes];
        int[] outLabels = new int[total];
        int[] taken = new int[numClasses];
        int out = 0;
        for (int i = 0; i < labels.length && out < total; i++) {
            int c = labels[i];
            if (taken[c] < nPerClass) {
                taken[c]++;
                outLabels[out] = c;
                System.arraycopy(pixels, i * bytes, outPixels, out * bytes, bytes);
                out++;
            }
        }
        return new ImageDataset(name, outPixels, outLabels, channels, height, width, numClasses);
    }

    /** The images at {@code indices}, in that order (e.g. a seeded random sample). */
    public ImageDataset select(int[] indices) {
        int bytes = imageBytes();
        byte[] outPixels = new byte[indices.length * bytes];
        int[] outLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size()) {
                throw new IllegalArgumentException("index " + i + " outside dataset " + name + " of " + size());
            }
            outLabels[k] = labels[i];
            System.arraycopy(pixels, i * bytes, outPixels, k * bytes, bytes);
        }
        return new ImageDataset(name, outPixels, outLabels, channels, height, width, numClasses);
    }

    /** Number of images of each class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        // the default record toString would print array identities, which say nothing
        return name + "[" + size() + " x " + channels + "x" + height + "x" + width + ", " + numClasses + " classes]";
    }
}
