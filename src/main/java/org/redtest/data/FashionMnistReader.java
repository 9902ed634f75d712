package org.redtest.data;

import org.redtest.RedTestException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads Fashion-MNIST from the IDX files shipped by Debian's {@code dataset-fashion-mnist} package
 * (gzip-compressed, or already uncompressed). Images are zero-padded from 28x28 to 32x32 so that the
 * same 32x32 architectures run on Fashion-MNIST and CIFAR.
 */
public final class FashionMnistReader {

    /** Where the Debian package installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Overrides {@link #DEFAULT_DIR}: a GPU bundle carries its own subset of the files. */
    public static final String DIR_PROPERTY = "redtest.fashionMnist.dir";
    public static final String NAME = "fashion-mnist";
    public static final int NUM_CLASSES = 10;
    public static final int SOURCE_SIZE = 28;
    public static final int PADDED_SIZE = 32;

    private static final int IMAGES_MAGIC = 2051;
    private static final int LABELS_MAGIC = 2049;
    private static final int PAD = (PADDED_SIZE - SOURCE_SIZE) / 2;

    private FashionMnistReader() {
    }

    /** Where Fashion-MNIST is read from when no directory is given: {@value #DIR_PROPERTY}, else Debian's. */
    public static Path defaultDir() {
        String dir = System.getProperty(DIR_PROPERTY);
        return dir == null || dir.isBlank() ? DEFAULT_DIR : Path.of(dir);
    }

    /** Reads one split from {@code dir}; throws {@link RedTestException} naming the file on any problem. */
    public static ImageDataset read(Path dir, Split split) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path imagesFile = locate(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = locate(dir, prefix + "-labels-idx1-ubyte");
        byte[] raw = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        int count = raw.length / (SOURCE_SIZE * SOURCE_SIZE);
        if (labels.length != count) {
            throw new RedTestException("Fashion-MNIST files disagree: " + imagesFile + " holds " + count
                    + " images but " + labelsFile + " holds " + labels.length + " labels");
        }
        return new ImageDataset(NAME, pad(raw, count), labels, 1, PADDED_SIZE, PADDED_SIZE, NUM_CLASSES);
    }

    /** Prefers the .gz file, falls back to the uncompressed name. */
    private static Path locate(Path dir, String baseName) {
        Path gz = dir.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(baseName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new RedTestException("Fashion-MNIST file not found: " + gz
                + " (install Debian package dataset-fashion-mnist or set data.dir)");
    }

    private static byte[] readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw badMagic(file, magic, IMAGES_MAGIC);
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 1 || count > Integer.MAX_VALUE / (SOURCE_SIZE * SOURCE_SIZE)
                    || rows != SOURCE_SIZE || cols != SOURCE_SIZE) {
                throw new RedTestException("Fashion-MNIST image file " + file + " has unexpected dimensions "
                        + count + "x" + rows + "x" + cols + " (expected N x 28 x 28)");
            }
            byte[] pixels = new byte[count * rows * cols];
            in.readFully(pixels);
            requireEnd(in, file);
            return pixels;
        } catch (EOFException e) {
            throw truncated(file);
        } catch (IOException e) {
            throw new RedTestException("cannot read Fashion-MNIST file " + file + ": " + e.getMessage(), e);
        }
    }

    private static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw badMagic(file, magic, LABELS_MAGIC);
            }
            int count = in.readInt();
            if (count < 1) {
                throw new RedTestException("Fashion-MNIST label file " + file + " declares " + count + " labels");
            }
            byte[] bytes = new byte[count];
            in.readFully(bytes);
            requireEnd(in, file);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
                if (labels[i] >= NUM_CLASSES) {
                    throw new RedTestException("Fashion-MNIST label file " + file + " has label " + labels[i]
                            + " at index " + i + " (expected 0..9)");
                }
            }
            return labels;
        } catch (EOFException e) {
            throw truncated(file);
        } catch (IOException e) {
            throw new RedTestException("cannot read Fashion-MNIST file " + file + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new DataInputStream(in);
    }

    // Trailing bytes mean the header and the payload disagree: better to stop than to guess.
    private static void requireEnd(InputStream in, Path file) throws IOException {
        if (in.read() != -1) {
            throw new RedTestException("Fashion-MNIST file " + file + " is longer than its header declares");
        }
    }

    private static RedTestException badMagic(Path file, int magic, int expected) {
        return new RedTestException("not a Fashion-MNIST IDX file: " + file + " (magic number " + magic
                + ", expected " + expected + ")");
    }

    private static RedTestException truncated(Path file) {
        return new RedTestException("Fashion-MNIST file is truncated: " + file);
    }

    /** Zero-pads every 28x28 image by 2 pixels on each side. */
    static byte[] pad(byte[] raw, int count) {
        int src = SOURCE_SIZE * SOURCE_SIZE;
        int dst = PADDED_SIZE * PADDED_SIZE;
        byte[] out = new byte[count * dst];
        for (int i = 0; i < count; i++) {
            for (int r = 0; r < SOURCE_SIZE; r++) {
                System.arraycopy(raw, i * src + r * SOURCE_SIZE,
                        out, i * dst + (r + PAD) * PADDED_SIZE + PAD, SOURCE_SIZE);
            }
        }
        return out;
    }
}
