package org.redtest.testing;

import org.redtest.data.ImageDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small synthetic data for unit tests only: never used by the product. */
public final class TinyData {
    private TinyData() {
    }

    /** {@code n} images whose label is the brightest of {@code classes} horizontal bands: learnable, so loss can fall. */
    public static ImageDataset learnable(int n, int channels, int size, int classes, long seed) {
        Random r = new Random(seed);
        int plane = size * size;
        byte[] pixels = new byte[n * channels * plane];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < size; y++) {
                    boolean bright = y * classes / size == labels[i];
                    for (int x = 0; x < size; x++) {
                        int v = (bright ? 160 : 40) + r.nextInt(60);
                        pixels[(i * channels + c) * plane + y * size + x] = (byte) v;
                    }
                }
            }
        }
        return new ImageDataset("tiny", pixels, labels, channels, size, size, classes);
    }

    /** Writes a CIFAR-10 binary directory (5 train batches + test batch) of {@code perFile} records each. */
    public static Path writeCifar10(Path dir, int perFile, long seed) throws IOException {
        Files.createDirectories(dir);
        ImageDataset d = learnable(perFile * 6, 3, 32, 10, seed);
        int rec = 1 + 3072;
        for (int f = 0; f < 6; f++) {
            byte[] out = new byte[perFile * rec];
            for (int i = 0; i < perFile; i++) {
                int src = f * perFile + i;
                out[i * rec] = (byte) d.labels()[src];
                System.arraycopy(d.pixels(), src * 3072, out, i * rec + 1, 3072);
            }
            String name = f < 5 ? "data_batch_" + (f + 1) + ".bin" : "test_batch.bin";
            Files.write(dir.resolve(name), out);
        }
        return dir;
    }
}
