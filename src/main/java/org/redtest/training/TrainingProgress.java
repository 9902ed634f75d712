package org.redtest.training;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress bar for one epoch: images done, img/s and ETA. On a terminal it redraws in place; when
 * output goes to a file or CI log it prints a line every few seconds instead.
 */
final class TrainingProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingProgress.class);
    private final ProgressBar bar;
    private final long start = System.nanoTime();
    private long images;

    TrainingProgress(String task, long totalImages) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalImages)
                .setUnit(" img", 1)
                .showSpeed().continuousUpdate()
                .setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(110);
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(LOG::info)).setUpdateIntervalMillis(15_000);
        } else {
            b.setUpdateIntervalMillis(500);
        }
        bar = b.build();
    }

    void step(int batchImages, double loss) {
        images += batchImages;
        bar.stepBy(batchImages);
        bar.setExtraMessage(String.format("| loss %.4f", loss));
    }

    double imagesPerSecond() {
        double seconds = (System.nanoTime() - start) / 1e9;
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
