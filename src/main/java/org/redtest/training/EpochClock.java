package org.redtest.training;

/**
 * One epoch's training pass: its seconds and images per second, as the epoch's record keeps them. The
 * clock stops when the last batch is done, so the evaluation after it does not count as training time.
 */
final class EpochClock {
    private final long start = System.nanoTime();
    private long end = -1;
    private long images;

    void count(int batchImages) {
        images += batchImages;
    }

    /** Ends the training pass; later calls keep the first end. */
    void stop() {
        if (end < 0) {
            end = System.nanoTime();
        }
    }

    double imagesPerSecond() {
        double seconds = seconds();
        return seconds > 0 ? images / seconds : 0;
    }

    /** Seconds from the start to the stop, or to now while running. */
    double seconds() {
        return ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
    }
}
