package org.redtest.data;

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

class CifarBinaryReaderTest {

    @TempDir
    Path dir;

    /** Five train batches of two records each (labels 2b, 2b+1) and a test batch of three. */
    private void writeCifar10(Path target) throws IOException {
        Files.createDirectories(target);
        for (int b = 1; b <= 5; b++) {
            int[] labels = {(2 * (b - 1)) % 10, (2 * (b - 1) + 1) % 10};
            Files.write(target.resolve("data_batch_" + b + ".bin"), TestData.cifarRecords(null, labels));
        }
        Files.write(target.resolve("test_batch.bin"), TestData.cifarRecords(null, new int[]{9, 5, 0}));
    }

    private static void assertCifarPixels(ImageDataset data) {
        for (int i = 0; i < data.size(); i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    assertEquals(TestData.cifarPixel(i, c, p), data.pixels()[i * 3072 + c * 1024 + p],
                            "record " + i + " channel " + c + " pixel " + p);
                }
            }
        }
    }

    @Test
    void cifar10LayoutAndLabels() throws IOException {
        writeCifar10(dir);

        ImageDataset test = CifarBinaryReader.readCifar10(dir, Split.TEST);
        assertEquals("cifar10", test.name());
        assertEquals(3, test.channels());
        assertEquals(32, test.height());
        assertEquals(32, test.width());
        assertEquals(10, test.numClasses());
        assertArrayEquals(new int[]{9, 5, 0}, test.labels());
        assertCifarPixels(test);

        ImageDataset train = CifarBinaryReader.readCifar10(dir, Split.TRAIN);
        assertEquals(10, train.size());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels());
        // batches are concatenated in order; each batch file restarts the record pattern
        assertEquals(TestData.cifarPixel(0, 2, 5), train.pixels()[2 * 3072 + 2 * 1024 + 5]);
        assertEquals(TestData.cifarPixel(1, 1, 1000), train.pixels()[9 * 3072 + 1024 + 1000]);
    }

    @Test
    void cifar100UsesFineLabel() throws IOException {
        Files.write(dir.resolve("train.bin"), TestData.cifarRecords(new int[]{3, 19, 0}, new int[]{42, 99, 7}));
        Files.write(dir.resolve("test.bin"), TestData.cifarRecords(new int[]{1}, new int[]{63}));

        ImageDataset train = CifarBinaryReader.readCifar100(dir, Split.TRAIN);
        assertEquals("cifar100", train.name());
        assertEquals(100, train.numClasses());
        assertArrayEquals(new int[]{42, 99, 7}, train.labels());
        assertCifarPixels(train);
        assertArrayEquals(new int[]{63}, CifarBinaryReader.readCifar100(dir, Split.TEST).labels());
    }

    @Test
    void acceptsArchiveSubfolders() throws IOException {
        writeCifar10(dir.resolve("cifar-10-batches-bin"));
        Path sub100 = Files.createDirectories(dir.resolve("cifar-100-binary"));
        Files.write(sub100.resolve("test.bin"), TestData.cifarRecords(new int[]{0}, new int[]{11}));

        assertEquals(3, CifarBinaryReader.readCifar10(dir, Split.TEST).size());
        assertArrayEquals(new int[]{11}, CifarBinaryReader.readCifar100(dir, Split.TEST).labels());
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        writeCifar10(dir);
        Path test = dir.resolve("test_batch.bin");
        Files.delete(test);
        RedTestException e = assertThrows(RedTestException.class, () -> CifarBinaryReader.readCifar10(dir, Split.TEST));
        assertTrue(e.getMessage().contains("not found: " + test), e.getMessage());

        Path batch3 = dir.resolve("data_batch_3.bin");
        Files.delete(batch3);
        RedTestException e3 = assertThrows(RedTestException.class, () -> CifarBinaryReader.readCifar10(dir, Split.TRAIN));
        assertTrue(e3.getMessage().contains(batch3.toString()), e3.getMessage());
    }

    @Test
    void wrongLengthIsRejected() throws IOException {
        writeCifar10(dir);
        Path test = dir.resolve("test_batch.bin");
        byte[] whole = Files.readAllBytes(test);
        Files.write(test, Arrays.copyOf(whole, whole.length - 100));
        RedTestException e = assertThrows(RedTestException.class, () -> CifarBinaryReader.readCifar10(dir, Split.TEST));
        assertTrue(e.getMessage().contains(test.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("3073"), e.getMessage());

        // CIFAR-10 records are one byte shorter than CIFAR-100 ones: reading the wrong variant fails clearly
        Files.write(dir.resolve("test.bin"), TestData.cifarRecords(null, new int[]{1, 2}));
        RedTestException e100 = assertThrows(RedTestException.class,
                () -> CifarBinaryReader.readCifar100(dir, Split.TEST));
        assertTrue(e100.getMessage().contains("3074"), e100.getMessage());
    }

    @Test
    void labelOutOfRangeIsRejected() throws IOException {
        writeCifar10(dir);
        Path test = dir.resolve("test_batch.bin");
        Files.write(test, TestData.cifarRecords(null, new int[]{1, 10}));
        RedTestException e = assertThrows(RedTestException.class, () -> CifarBinaryReader.readCifar10(dir, Split.TEST));
        assertTrue(e.getMessage().contains(test.toString()) && e.getMessage().contains("label 10"), e.getMessage());
    }
}
