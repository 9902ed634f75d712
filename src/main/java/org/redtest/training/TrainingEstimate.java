package org.redtest.training;

import java.util.Locale;

/** How long a run's training steps take: epochs x training images / measured images per second. */
public record TrainingEstimate(String model, int epochs, long imagesPerEpoch, double imagesPerSecond) {
    public double seconds() {
        return epochs * (double) imagesPerEpoch / imagesPerSecond;
    }

    /** {@code "about 6.9 h"}, {@code "about 12 min"}, {@code "about 40 s"}. */
    public static String roughly(double seconds) {
        if (seconds >= 48 * 3600) {
            return String.format(Locale.ROOT, "about %.1f days", seconds / 86400);
        }
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "about %.1f h", seconds / 3600);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "about %.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "about %.0f s", seconds);
    }

    /** {@code "resnet20: 150 epochs of 60000 images at 240 img/s"}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d epochs of %d images at %.0f img/s", model, epochs, imagesPerEpoch,
                imagesPerSecond);
    }
}
