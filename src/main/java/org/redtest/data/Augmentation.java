package org.redtest.data;

import org.redtest.RedTestException;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The paper's CIFAR training augmentation, torchvision's {@code RandomCrop(size, padding)} followed by
 * {@code RandomHorizontalFlip()}. Both run on the raw uint8 image before normalisation, so the padding
 * is raw 0 (black), exactly as in the standard {@code RandomCrop -> Flip -> ToTensor -> Normalize}
 * pipeline. The output has the input's size.
 */
public record Augmentation(int padding) {

    /** 4-pixel padding, the standard CIFAR setting. */
    public static final Augmentation CIFAR = new Augmentation(4);

    /**
     * One image's random choice: the crop window is shifted by ({@code dy}, {@code dx}) in [-padding,
     * padding] relative to the centred window, then mirrored if {@code flip}.
     */
    public record Params(int dy, int dx, boolean flip) {
    }

    public Augmentation {
        if (padding < 0) {
            throw new RedTestException("augmentation padding must be >= 0, got " + padding);
        }
    }

    /** Draws in torchvision's order: crop top, crop left, then the flip coin. */
    public Params draw(RandomGenerator rng) {
        int top = rng.nextInt(2 * padding + 1);
        int left = rng.nextInt(2 * padding + 1);
        boolean flip = rng.nextDouble() < 0.5;
        return new Params(top - padding, left - padding, flip);
    }

    /** Augments one CHW image from {@code src} into {@code dst} with freshly drawn parameters. */
    public void apply(byte[] src, int srcOffset, byte[] dst, int dstOffset, int channels, int height, int width,
                      RandomGenerator rng) {
        apply(draw(rng), src, srcOffset, dst, dstOffset, channels, height, width);
    }

    /** Crop-with-zero-padding then optional mirror: {@code dst[c][y][x] = src[c][y+dy][x'+dx]}, 0 outside. */
    public static void apply(Params p, byte[] src, int srcOffset, byte[] dst, int dstOffset, int channels,
                             int height, int width) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int srcPlane = srcOffset + c * plane;
            int dstPlane = dstOffset + c * plane;
            for (int y = 0; y < height; y++) {
                int sy = y + p.dy();
                int dstRow = dstPlane + y * width;
                if (sy < 0 || sy >= height) {
                    Arrays.fill(dst, dstRow, dstRow + width, (byte) 0);
                    continue;
                }
                int srcRow = srcPlane + sy * width;
                for (int x = 0; x < width; x++) {
                    int sx = (p.flip() ? width - 1 - x : x) + p.dx();
                    dst[dstRow + x] = sx >= 0 && sx < width ? src[srcRow + sx] : 0;
                }
            }
        }
    }
}
