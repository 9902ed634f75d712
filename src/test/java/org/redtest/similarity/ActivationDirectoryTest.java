package org.redtest.similarity;

import org.redtest.testing.NpyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.RedTestException;
import org.redtest.engine.cpu.CpuAcceleration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationDirectoryTest {
    static {
        CpuAcceleration.configure();
    }

    @TempDir
    Path dir;

    @Test
    void ordersByFileNameAndPoolsFourDimensionalIrs() throws Exception {
        int n = 4;
        int channels = 2;
        float[] conv = new float[n * channels * 3 * 3];
        for (int i = 0; i < conv.length; i++) {
            conv[i] = i; // each 3x3 plane holds 9 consecutive integers: its mean is the middle one
        }
        NpyFiles.writeFloat32(dir.resolve("02_block1.npy"), new long[] {n, channels, 3, 3}, conv);
        NpyFiles.writeFloat64(dir.resolve("10_fc.npy"), new long[] {n, 3}, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        NpyFiles.writeFloat32(dir.resolve("01_stem.npy"), new long[] {n, 5}, new float[n * 5]);
        Files.writeString(dir.resolve("notes.txt"), "not an activation");

        ActivationDirectory.LoadedActivations loaded = ActivationDirectory.load(dir);
        assertEquals(List.of("01_stem", "02_block1", "10_fc"), loaded.layers());
        INDArray pooled = loaded.irs().get(1);
        assertArrayEquals(new long[] {n, channels}, pooled.shape());
        for (int sample = 0; sample < n; sample++) {
            for (int c = 0; c < channels; c++) {
                assertEquals((sample * channels + c) * 9 + 4, pooled.getDouble(sample, c), 1e-6);
            }
        }
        assertArrayEquals(new long[] {n, 3}, loaded.irs().get(2).shape());
        assertEquals(12.0, loaded.irs().get(2).getDouble(3, 2));
    }

    @Test
    void reportsMissingOrEmptyDirectoriesAndUnusableShapes() throws Exception {
        RedTestException e = assertThrows(RedTestException.class, () -> ActivationDirectory.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());

        e = assertThrows(RedTestException.class, () -> ActivationDirectory.load(dir));
        assertTrue(e.getMessage().contains("no .npy files"), e.getMessage());

        NpyFiles.writeFloat32(dir.resolve("seq.npy"), new long[] {4, 2, 3}, new float[24]);
        e = assertThrows(RedTestException.class, () -> ActivationDirectory.load(dir));
        assertTrue(e.getMessage().contains("seq.npy") && e.getMessage().contains("[4, 2, 3]"), e.getMessage());
    }
}
