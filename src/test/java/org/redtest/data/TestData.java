package org.redtest.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writers for tiny datasets in the real on-disk formats, plus small in-memory datasets. */
final class TestData {

    private TestData() {
    }

    /** IDX3 image file: magic 2051, count, rows, cols, pixels. */
    static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(pixels);
        return bytes.toByteArray();
    }

    /** IDX1 label file: magic 2049, count, labels. */
    static byte[] idxLabels(int magic, int[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(labels.length);
        for (int label : labels) {
            out.writeByte(label);
        }
        return bytes.toByteArray();
    }

    static void writeGzip(Path file, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
    }

    /** Random 28x28 images whose pixels are all non-zero, so padding is distinguishable. */
    static byte[] randomMnistPixels(int count, long seed) {
        byte[] pixels = new byte[count * 28 * 28];
        Random r = new Random(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (1 + r.nextInt(255));
        }
        return pixels;
    }

    /** Writes a complete Fashion-MNIST split (gzip) into {@code dir}. */
    static void writeFashionSplit(Path dir, String prefix, byte[] pixels, int[] labels) throws IOException {
        writeGzip(dir.resolve(prefix + "-images-idx3-ubyte.gz"), idxImages(2051, labels.length, 28, 28, pixels));
        writeGzip(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), idxLabels(2049, labels));
    }

    /**
     * CIFAR binary records for the given labels; pixel {@code p} of channel {@code c} of record {@code i}
     * is {@link #cifarPixel}(i, c, p), so tests can check the layout without storing the images.
     */
    static byte[] cifarRecords(int[] coarse, int[] labels) {
        int labelBytes = coarse == null ? 1 : 2;
        int rec = labelBytes + 3072;
        byte[] out = new byte[labels.length * rec];
        for (int i = 0; i < labels.length; i++) {
            int o = i * rec;
            if (coarse != null) {
                out[o++] = (byte) coarse[i];
            }
            out[o++] = (byte) labels[i];
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    out[o + c * 1024 + p] = cifarPixel(i, c, p);
                }
            }
        }
        return out;
    }

    static byte cifarPixel(int record, int channel, int p) {
        return (byte) (record * 31 + channel * 85 + p * 7);
    }

    /** A dataset of {@code n} images whose labels cycle through the classes and pixels are pseudo-random. */
    static ImageDataset synthetic(int n, int channels, int size, int numClasses, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * channels * size * size];
        r.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % numClasses;
        }
        return new ImageDataset("synthetic", pixels, labels, channels, size, size, numClasses);
    }
}
