package org.redtest.data;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDatasetTest {

    /** 1x2x2 images where every pixel of image i equals i, labels as given. */
    private static ImageDataset indexed(int[] labels, int numClasses) {
        byte[] pixels = new byte[labels.length * 4];
        for (int i = 0; i < labels.length; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
        }
        return new ImageDataset("t", pixels, labels, 1, 2, 2, numClasses);
    }

    @Test
    void firstNKeepsTheFirstImages() {
        ImageDataset d = indexed(new int[]{2, 0, 1, 1, 0}, 3);
        ImageDataset first = d.firstN(3);
        assertEquals(3, first.size());
        assertArrayEquals(new int[]{2, 0, 1}, first.labels());
        assertArrayEquals(Arrays.copyOf(d.pixels(), 12), first.pixels());
        assertEquals(5, d.firstN(5).size());
        assertThrows(RedTestException.class, () -> d.firstN(0));
        RedTestException e = assertThrows(RedTestException.class, () -> d.firstN(6));
        assertTrue(e.getMessage().contains("6"), e.getMessage());
    }

    @Test
    void perClassTakesFirstOfEachClassInOrder() {
        ImageDataset d = indexed(new int[]{2, 0, 1, 1, 0, 2, 0, 1}, 3);
        ImageDataset sub = d.perClass(2);
        assertArrayEquals(new int[]{2, 0, 1, 1, 0, 2}, sub.labels());
        for (int i = 0; i < sub.size(); i++) {
            assertEquals(i, sub.pixels()[i * 4 + 3], "original image index kept in order");
        }
        assertArrayEquals(new int[]{2, 2, 2}, sub.classCounts());
        RedTestException e = assertThrows(RedTestException.class, () -> d.perClass(3));
        assertTrue(e.getMessage().contains("class 2"), e.getMessage());
    }

    @Test
    void classCountsAndSizes() {
        ImageDataset d = TestData.synthetic(7, 3, 4, 3, 1);
        assertArrayEquals(new int[]{3, 2, 2}, d.classCounts());
        assertEquals(48, d.imageBytes());
        assertEquals(7, d.size());
    }

    @Test
    void constructorValidates() {
        assertThrows(RedTestException.class, () -> new ImageDataset("x", new byte[7], new int[]{0, 1}, 1, 2, 2, 2));
        assertThrows(RedTestException.class, () -> new ImageDataset("x", new byte[8], new int[]{0, 2}, 1, 2, 2, 2));
        assertThrows(RedTestException.class, () -> new ImageDataset("x", new byte[8], new int[]{0, -1}, 1, 2, 2, 2));
        assertThrows(RedTestException.class, () -> new ImageDataset("x", new byte[0], new int[0], 1, 2, 2, 2));
    }
}
