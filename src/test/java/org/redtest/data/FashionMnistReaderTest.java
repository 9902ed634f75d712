package org.redtest.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistReaderTest {

    @TempDir
    Path dir;

    @Test
    void gzipRoundTripPadsTo32x32() throws IOException {
        byte[] raw = TestData.randomMnistPixels(3, 1);
        int[] labels = {7, 0, 9};
        TestData.writeFashionSplit(dir, "train", raw, labels);

        ImageDataset data = FashionMnistReader.read(dir, Split.TRAIN);

        assertEquals("fashion-mnist", data.name());
        assertEquals(3, data.size());
        assertEquals(1, data.channels());
        assertEquals(32, data.height());
        assertEquals(32, data.width());
        assertEquals(10, data.numClasses());
        assertArrayEquals(labels, data.labels());
        for (int i = 0; i < 3; i++) {
            for (int r = 0; r < 32; r++) {
                for (int c = 0; c < 32; c++) {
                    byte got = data.pixels()[i * 1024 + r * 32 + c];
                    boolean inside = r >= 2 && r < 30 && c >= 2 && c < 30;
                    byte want = inside ? raw[i * 784 + (r - 2) * 28 + (c - 2)] : 0;
                    assertEquals(want, got, "image " + i + " pixel " + r + "," + c);
                }
            }
        }
    }

    @Test
    void acceptsUncompressedFiles() throws IOException {
        byte[] raw = TestData.randomMnistPixels(2, 2);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), TestData.idxImages(2051, 2, 28, 28, raw));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), TestData.idxLabels(2049, new int[]{3, 4}));

        ImageDataset data = FashionMnistReader.read(dir, Split.TEST);

        assertArrayEquals(new int[]{3, 4}, data.labels());
        assertEquals(raw[0], data.pixels()[2 * 32 + 2]);
    }

    @Test
    void truncatedGzipNamesTheFile() throws IOException {
        TestData.writeFashionSplit(dir, "train", TestData.randomMnistPixels(4, 3), new int[]{1, 2, 3, 4});
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(whole, whole.length / 2));

        RedTestException e = assertThrows(RedTestException.class, () -> FashionMnistReader.read(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void payloadShorterThanHeaderIsTruncated() throws IOException {
        // a valid gzip stream whose IDX header promises 5 images but holds 3
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        TestData.writeGzip(images, TestData.idxImages(2051, 5, 28, 28, TestData.randomMnistPixels(3, 4)));
        TestData.writeGzip(dir.resolve("train-labels-idx1-ubyte.gz"), TestData.idxLabels(2049, new int[5]));

        RedTestException e = assertThrows(RedTestException.class, () -> FashionMnistReader.read(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void badMagicNamesTheFile() throws IOException {
        TestData.writeFashionSplit(dir, "train", TestData.randomMnistPixels(2, 5), new int[]{1, 2});
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        TestData.writeGzip(labels, TestData.idxLabels(2051, new int[]{1, 2})); // image magic in a label file

        RedTestException e = assertThrows(RedTestException.class, () -> FashionMnistReader.read(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void wrongDimensionsAndCountMismatchAreRejected() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        TestData.writeGzip(images, TestData.idxImages(2051, 1, 32, 32, new byte[1024]));
        TestData.writeGzip(dir.resolve("train-labels-idx1-ubyte.gz"), TestData.idxLabels(2049, new int[]{1}));
        RedTestException dims = assertThrows(RedTestException.class, () -> FashionMnistReader.read(dir, Split.TRAIN));
        assertTrue(dims.getMessage().contains(images.toString()), dims.getMessage());

        TestData.writeFashionSplit(dir, "train", TestData.randomMnistPixels(2, 6), new int[]{1, 2});
        TestData.writeGzip(dir.resolve("train-labels-idx1-ubyte.gz"), TestData.idxLabels(2049, new int[]{1, 2, 3}));
        RedTestException count = assertThrows(RedTestException.class, () -> FashionMnistReader.read(dir, Split.TRAIN));
        assertTrue(count.getMessage().contains("3 labels"), count.getMessage());
    }

    @Test
    void missingFileExplainsHowToInstall() {
        Path missing = dir.resolve("nope");
        RedTestException e = assertThrows(RedTestException.class, () -> FashionMnistReader.read(missing, Split.TEST));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST file not found: "
                + missing.resolve("t10k-images-idx3-ubyte.gz")), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void realFashionMnistIfInstalled() {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnistReader.DEFAULT_DIR), "dataset-fashion-mnist not installed");

        ImageDataset train = FashionMnistReader.read(FashionMnistReader.DEFAULT_DIR, Split.TRAIN);
        ImageDataset test = FashionMnistReader.read(FashionMnistReader.DEFAULT_DIR, Split.TEST);

        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        for (ImageDataset d : new ImageDataset[]{train, test}) {
            assertEquals(1, d.channels());
            assertEquals(32, d.height());
            assertEquals(32, d.width());
        }
        int[] expectedTrain = new int[10];
        Arrays.fill(expectedTrain, 6000);
        assertArrayEquals(expectedTrain, train.classCounts());
        int[] expectedTest = new int[10];
        Arrays.fill(expectedTest, 1000);
        assertArrayEquals(expectedTest, test.classCounts());
        // the 2-pixel border is padding
        for (int c = 0; c < 32; c++) {
            assertEquals(0, train.pixels()[c]);
            assertEquals(0, train.pixels()[32 + c]);
        }
    }
}
