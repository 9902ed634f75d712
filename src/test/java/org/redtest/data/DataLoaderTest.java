package org.redtest.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {

    @TempDir
    Path dir;

    private static DataSpec spec(String dataset, String dir, Integer trainLimit, Integer trainPerClass,
                                 Integer testLimit, Integer testPerClass) {
        return new DataSpec(dataset, dir, trainLimit, trainPerClass, testLimit, testPerClass, null);
    }

    @Test
    void fashionMnistSubsetsUseFullTrainStatistics() throws IOException {
        int[] trainLabels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        TestData.writeFashionSplit(dir, "train", TestData.randomMnistPixels(20, 1), trainLabels);
        TestData.writeFashionSplit(dir, "t10k", TestData.randomMnistPixels(10, 2), new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

        LoadedData full = DataLoader.load(spec("fashion-mnist", dir.toString(), null, null, null, null));
        LoadedData sub = DataLoader.load(spec("Fashion-MNIST", dir.toString(), null, 1, 3, null));

        assertEquals(20, full.train().size());
        assertEquals(10, full.test().size());
        assertEquals(10, sub.train().size());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sub.train().labels());
        assertEquals(3, sub.test().size());
        assertArrayEquals(full.normalization().mean(), sub.normalization().mean());
        assertArrayEquals(full.normalization().std(), sub.normalization().std());
        assertArrayEquals(ChannelNormalization.fromData(full.train()).mean(), full.normalization().mean());
    }

    @Test
    void cifarNormalizations() throws IOException {
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), TestData.cifarRecords(null, new int[]{b, b + 1}));
        }
        Files.write(dir.resolve("test_batch.bin"), TestData.cifarRecords(null, new int[]{1, 2, 3}));
        LoadedData c10 = DataLoader.load(spec("cifar10", dir.toString(), 4, null, 2, null));
        assertSame(ChannelNormalization.CIFAR10, c10.normalization());
        assertEquals(4, c10.train().size());
        assertEquals(2, c10.test().size());
        // the test split lacks most classes, so a per-class subset is impossible
        RedTestException few = assertThrows(RedTestException.class,
                () -> DataLoader.load(spec("cifar10", dir.toString(), null, null, null, 1)));
        assertTrue(few.getMessage().contains("class 0"), few.getMessage());
        assertTrue(new DataSpec("cifar10", dir.toString(), null, null, null, null, null).augmentOrDefault());
        assertFalse(new DataSpec("cifar10", dir.toString(), null, null, null, null, false).augmentOrDefault());

        Path d100 = Files.createDirectories(dir.resolve("c100").resolve("cifar-100-binary"));
        Files.write(d100.resolve("train.bin"), TestData.cifarRecords(new int[]{0, 0}, new int[]{5, 50}));
        Files.write(d100.resolve("test.bin"), TestData.cifarRecords(new int[]{0}, new int[]{7}));
        LoadedData c100 = DataLoader.load(DataSpec.of("cifar100", dir.resolve("c100").toString()));
        assertEquals(100, c100.train().numClasses());
        assertArrayEquals(ChannelNormalization.fromData(c100.train()).std(), c100.normalization().std());
    }

    @Test
    void specErrorsAreUserFacing() {
        RedTestException unknown = assertThrows(RedTestException.class,
                () -> DataLoader.load(DataSpec.of("mnist", dir.toString())));
        assertTrue(unknown.getMessage().contains("fashion-mnist, cifar10, cifar100"), unknown.getMessage());

        RedTestException both = assertThrows(RedTestException.class,
                () -> DataLoader.load(spec("cifar10", dir.toString(), 10, 1, null, null)));
        assertTrue(both.getMessage().contains("data.train_limit") && both.getMessage().contains("data.train_per_class"));
        assertThrows(RedTestException.class, () -> DataLoader.load(spec("cifar10", dir.toString(), null, null, 5, 5)));
        assertThrows(RedTestException.class, () -> DataLoader.load(spec("cifar10", dir.toString(), 0, null, null, null)));

        RedTestException noDir = assertThrows(RedTestException.class, () -> DataLoader.load(DataSpec.of("cifar10", null)));
        assertTrue(noDir.getMessage().contains("data.dir"), noDir.getMessage());

        Path missing = dir.resolve("missing");
        RedTestException gone = assertThrows(RedTestException.class,
                () -> DataLoader.load(DataSpec.of("cifar100", missing.toString())));
        assertEquals("data directory does not exist: " + missing, gone.getMessage());

        assertThrows(RedTestException.class, () -> DataLoader.load(DataSpec.of(null, dir.toString())));
    }

    @Test
    void defaultDirIsDebianFashionMnist() {
        assertEquals(FashionMnistReader.DEFAULT_DIR, DataSpec.of("fashion-mnist", null).validate().resolvedDir());
        assertEquals(Path.of(System.getProperty("user.home"), "data"), DataSpec.of("cifar10", "~/data").resolvedDir());
    }

    @Test
    void aBundleNamesItsOwnFashionMnistFolder(@org.junit.jupiter.api.io.TempDir Path subset) {
        System.setProperty(FashionMnistReader.DIR_PROPERTY, subset.toString());
        try {
            assertEquals(subset, DataSpec.of("fashion-mnist", null).validate().resolvedDir());
            assertEquals(Path.of("/elsewhere"), DataSpec.of("fashion-mnist", "/elsewhere").validate().resolvedDir());
        } finally {
            System.clearProperty(FashionMnistReader.DIR_PROPERTY);
        }
    }
}
