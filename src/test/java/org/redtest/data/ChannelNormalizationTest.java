package org.redtest.data;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChannelNormalizationTest {

    @Test
    void fromDataMatchesDirectComputation() {
        ImageDataset d = TestData.synthetic(13, 3, 5, 4, 42);
        ChannelNormalization n = ChannelNormalization.fromData(d);
        int plane = 25;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int i = 0; i < d.size(); i++) {
                for (int p = 0; p < plane; p++) {
                    sum += (d.pixels()[i * 75 + c * plane + p] & 0xFF) / 255.0;
                }
            }
            double mean = sum / (d.size() * plane);
            double sq = 0;
            for (int i = 0; i < d.size(); i++) {
                for (int p = 0; p < plane; p++) {
                    double v = (d.pixels()[i * 75 + c * plane + p] & 0xFF) / 255.0 - mean;
                    sq += v * v;
                }
            }
            assertEquals(mean, n.mean()[c], 1e-12);
            assertEquals(Math.sqrt(sq / (d.size() * plane)), n.std()[c], 1e-12);
        }
    }

    @Test
    void applyUsesTheFormula() {
        ChannelNormalization n = new ChannelNormalization(new double[]{0.5, 0.25}, new double[]{0.5, 0.1});
        byte[] img = {0, (byte) 255, 51, (byte) 128};
        float[] out = new float[5];
        n.apply(img, 0, 2, out, 1);
        assertEquals((0 / 255.0 - 0.5) / 0.5, out[1], 1e-6);
        assertEquals((255 / 255.0 - 0.5) / 0.5, out[2], 1e-6);
        assertEquals((51 / 255.0 - 0.25) / 0.1, out[3], 1e-6);
        assertEquals((128 / 255.0 - 0.25) / 0.1, out[4], 1e-6);
        assertEquals(0f, out[0]);
    }

    @Test
    void cifarConstantsAndValidation() {
        assertArrayEquals(new double[]{0.4914, 0.4822, 0.4465}, ChannelNormalization.CIFAR10.mean());
        assertArrayEquals(new double[]{0.2023, 0.1994, 0.2010}, ChannelNormalization.CIFAR10.std());
        assertEquals(ChannelNormalization.CIFAR10, new ChannelNormalization(
                new double[]{0.4914, 0.4822, 0.4465}, new double[]{0.2023, 0.1994, 0.2010}));
        assertThrows(RedTestException.class, () -> new ChannelNormalization(new double[]{0}, new double[]{0}));
        assertThrows(RedTestException.class, () -> new ChannelNormalization(new double[]{0, 1}, new double[]{1}));
        ImageDataset constant = new ImageDataset("c", new byte[8], new int[]{0, 0}, 1, 2, 2, 1);
        assertThrows(RedTestException.class, () -> ChannelNormalization.fromData(constant));
    }
}
