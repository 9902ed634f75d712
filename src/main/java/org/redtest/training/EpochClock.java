package org.redtest.training;

/** One epoch's timing: seconds since it began and images per second, as its record keeps them. */
final class EpochClock {
    private final long start = System.nanoTime();
    private long images;

    void count(int batchImages) {
        images += batchImages;
    }

    double imagesPerSecond() {
        double seconds = seconds();
        return seconds > 0 ? images / seconds : 0;
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
