package org.redtest.data;

import org.redtest.RedTestException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the "binary version" of CIFAR-10 / CIFAR-100 from a user directory (nothing is downloaded).
 * Each record is the label byte(s) followed by 3072 pixel bytes (1024 R, 1024 G, 1024 B, row-major
 * 32x32), which is already the CHW layout of {@link ImageDataset}, so pixels are copied verbatim.
 *
 * <p>The files may sit directly in the directory or in the sub-folder the official archives unpack to
 * ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}).
 */
public final class CifarBinaryReader {

    public static final String CIFAR10 = "cifar10";
    public static final String CIFAR100 = "cifar100";
    private static final int IMAGE_BYTES = 3 * 32 * 32;

    /** Layout of one CIFAR variant: where its files live and how a record starts. */
    private record Variant(String name, String title, String subfolder, List<String> trainFiles,
                           String testFile, int labelBytes, int numClasses) {
        int recordBytes() {
            return labelBytes + IMAGE_BYTES;
        }

        List<String> allFiles() {
            List<String> all = new ArrayList<>(trainFiles);
            all.add(testFile);
            return all;
        }
    }

    private static final Variant V10 = new Variant(CIFAR10, "CIFAR-10", "cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                    "data_batch_5.bin"),
            "test_batch.bin", 1, 10);
    // CIFAR-100 records are <coarse label><fine label><pixels>; the fine label (100 classes) is used.
    private static final Variant V100 = new Variant(CIFAR100, "CIFAR-100", "cifar-100-binary",
            List.of("train.bin"), "test.bin", 2, 100);

    private CifarBinaryReader() {
    }

    public static ImageDataset readCifar10(Path dir, Split split) {
        return read(V10, dir, split);
    }

    public static ImageDataset readCifar100(Path dir, Split split) {
        return read(V100, dir, split);
    }

    private static ImageDataset read(Variant v, Path dir, Split split) {
        Path base = baseDir(v, dir);
        List<String> names = split == Split.TRAIN ? v.trainFiles() : List.of(v.testFile());
        List<Path> files = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        long totalRecords = 0;
        for (String name : names) {
            Path file = base.resolve(name);
            long count = recordCount(v, file, dir);
            totalRecords += count;
            files.add(file);
            counts.add((int) Math.min(count, Integer.MAX_VALUE));
        }
        if (totalRecords * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
            throw new RedTestException(v.title() + " files in " + base + " are too large (" + totalRecords
                    + " records)");
        }
        int n = (int) totalRecords;
        byte[] pixels = new byte[n * IMAGE_BYTES];
        int[] labels = new int[n];
        int next = 0;
        for (int f = 0; f < files.size(); f++) {
            next = readRecords(v, files.get(f), counts.get(f), pixels, labels, next);
        }
        return new ImageDataset(v.name(), pixels, labels, 3, 32, 32, v.numClasses());
    }

    /** The directory itself if it holds any of the files, else the archive's sub-folder if present. */
    private static Path baseDir(Variant v, Path dir) {
        for (String name : v.allFiles()) {
            if (Files.exists(dir.resolve(name))) {
                return dir;
            }
        }
        Path sub = dir.resolve(v.subfolder());
        return Files.isDirectory(sub) ? sub : dir;
    }

    private static long recordCount(Variant v, Path file, Path dir) {
        if (!Files.isRegularFile(file)) {
            throw new RedTestException(v.title() + " file not found: " + file + " (expected the binary version of "
                    + v.title() + " in " + dir + " or " + dir.resolve(v.subfolder()) + ")");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new RedTestException("cannot read " + v.title() + " file " + file + ": " + e.getMessage(), e);
        }
        if (size == 0 || size % v.recordBytes() != 0) {
            throw new RedTestException(v.title() + " file " + file + " has " + size + " bytes, not a positive multiple"
                    + " of the " + v.recordBytes() + "-byte record size (truncated, or not the binary version?)");
        }
        return size / v.recordBytes();
    }

    /** Copies the file's {@code count} records to index {@code start}; returns the index after the last one. */
    private static int readRecords(Variant v, Path file, int count, byte[] pixels, int[] labels, int start) {
        byte[] record = new byte[v.recordBytes()];
        int i = start;
        int end = start + count;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            // stream record by record: a whole train.bin would otherwise need a second 150 MB buffer
            while (i < end && in.readNBytes(record, 0, record.length) == record.length) {
                int label = record[v.labelBytes() - 1] & 0xFF;
                if (label >= v.numClasses()) {
                    throw new RedTestException(v.title() + " file " + file + " has label " + label + " in record "
                            + (i - start) + " (expected 0.." + (v.numClasses() - 1) + ")");
                }
                labels[i] = label;
                System.arraycopy(record, v.labelBytes(), pixels, i * IMAGE_BYTES, IMAGE_BYTES);
                i++;
            }
        } catch (IOException e) {
            throw new RedTestException("cannot read " + v.title() + " file " + file + ": " + e.getMessage(), e);
        }
        if (i != end) {
            throw new RedTestException(v.title() + " file " + file + " changed size while being read");
        }
        return i;
    }
}
