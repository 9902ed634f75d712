package org.redtest.data;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {

    /** 2 channels of 3x3: channel 0 holds 1..9, channel 1 holds 11..19. */
    private static final byte[] IMG = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19};

    private static byte[] run(int dy, int dx, boolean flip) {
        byte[] out = new byte[IMG.length + 2];
        Augmentation.apply(new Augmentation.Params(dy, dx, flip), IMG, 0, out, 1, 2, 3, 3);
        assertEquals(0, out[0], "writes only its slice");
        assertEquals(0, out[out.length - 1], "writes only its slice");
        byte[] img = new byte[IMG.length];
        System.arraycopy(out, 1, img, 0, img.length);
        return img;
    }

    @Test
    void identityAndFlip() {
        assertArrayEquals(IMG, run(0, 0, false));
        assertArrayEquals(new byte[]{3, 2, 1, 6, 5, 4, 9, 8, 7, 13, 12, 11, 16, 15, 14, 19, 18, 17}, run(0, 0, true));
    }

    @Test
    void cropShiftsAndPadsWithZero() {
        // window moved down 1 and right 1: rows/cols 1..3 of the zero-padded image
        assertArrayEquals(new byte[]{5, 6, 0, 8, 9, 0, 0, 0, 0, 15, 16, 0, 18, 19, 0, 0, 0, 0}, run(1, 1, false));
        // window moved up 1 and left 2
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 1, 0, 0, 4, 0, 0, 0, 0, 0, 11, 0, 0, 14}, run(-1, -2, false));
        // crop then mirror the crop, as RandomCrop -> RandomHorizontalFlip
        assertArrayEquals(new byte[]{0, 6, 5, 0, 9, 8, 0, 0, 0, 0, 16, 15, 0, 19, 18, 0, 0, 0}, run(1, 1, true));
        // shifted completely out of the frame
        assertArrayEquals(new byte[IMG.length], run(3, 0, false));
    }

    @Test
    void drawIsDeterministicAndCoversTheRange() {
        Augmentation a = Augmentation.CIFAR;
        SplittableRandom r1 = new SplittableRandom(7);
        SplittableRandom r2 = new SplittableRandom(7);
        boolean[] seenDy = new boolean[9];
        int flips = 0;
        for (int i = 0; i < 2000; i++) {
            Augmentation.Params p = a.draw(r1);
            assertEquals(p, a.draw(r2));
            assertTrue(p.dy() >= -4 && p.dy() <= 4 && p.dx() >= -4 && p.dx() <= 4, p.toString());
            seenDy[p.dy() + 4] = true;
            flips += p.flip() ? 1 : 0;
        }
        for (boolean s : seenDy) {
            assertTrue(s);
        }
        assertTrue(flips > 850 && flips < 1150, "flip probability about 0.5: " + flips);
    }

    @Test
    void applyWithRandomIsReproducible() {
        byte[] a = new byte[IMG.length];
        byte[] b = new byte[IMG.length];
        new Augmentation(1).apply(IMG, 0, a, 0, 2, 3, 3, new Random(3));
        new Augmentation(1).apply(IMG, 0, b, 0, 2, 3, 3, new Random(3));
        assertArrayEquals(a, b);
        byte[] none = new byte[IMG.length];
        new Augmentation(0).apply(IMG, 0, none, 0, 2, 3, 3, new Random(3));
        byte[] flipped = run(0, 0, true);
        assertTrue(java.util.Arrays.equals(IMG, none) || java.util.Arrays.equals(flipped, none),
                "padding 0 only flips");
    }
}
