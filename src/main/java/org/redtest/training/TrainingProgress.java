package org.redtest.training;

import org.redtest.console.Progress;
import org.redtest.console.ProgressBars;

import java.util.Locale;

/** One epoch's progress bar (images, img/s, ETA, current loss) and its timing. */
final class TrainingProgress implements AutoCloseable {
    private final Progress bar;
    private final long start = System.nanoTime();
    private long images;

    TrainingProgress(String task, long totalImages) {
        bar = ProgressBars.create(task, totalImages, "img");
    }

    void step(int batchImages, double loss) {
        images += batchImages;
        bar.stepBy(batchImages);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
    }

    double imagesPerSecond() {
        double seconds = seconds();
        return seconds > 0 ? images / seconds : 0;
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        bar.close();
    }
}
