package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.console.Progress;
import org.redtest.console.ProgressBars;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/** What the user sees of a training: one progress bar per epoch (images, img/s, ETA, loss) and one line per epoch. */
final class ProgressListener implements TrainingListener {
    /** The trainer's name in the log, as the epoch lines have always had. */
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private int plannedEpochs;
    private Progress bar;

    @Override
    public void onTrainingBegin(ComputationGraph graph, int firstEpoch, int plannedEpochs) {
        this.plannedEpochs = plannedEpochs;
    }

    @Override
    public void onEpochBegin(int epoch, long images) {
        bar = ProgressBars.create(String.format("epoch %d/%d", epoch + 1, plannedEpochs), images, "img");
    }

    @Override
    public void onTrainingBatch(int images, double loss) {
        bar.stepBy(images);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
    }

    @Override
    public void onEpochBatchesEnd() {
        bar.close();
    }

    @Override
    public void onEpoch(ComputationGraph graph, EpochRecord r) {
        LOG.info(String.format("epoch %d/%d  lr %.4g  train loss %.4f  test top-1 %.2f%%  top-5 %.2f%%  (%.0f img/s, %.1f s)",
                r.epoch(), plannedEpochs, r.learningRate(), r.trainLoss(), r.testTop1(), r.testTop5(),
                r.imagesPerSecond(), r.seconds()));
    }
}
