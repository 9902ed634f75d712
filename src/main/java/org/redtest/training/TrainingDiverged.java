package org.redtest.training;

import org.redtest.RedTestException;

/**
 * An update left the loss or a parameter non-finite. Nothing of the epoch under way is saved: the checkpoint
 * (if any) is the last finite one and stays the one a resume starts from.
 */
public final class TrainingDiverged extends RedTestException {
    public TrainingDiverged(int epoch, int plannedEpochs, int batch, int batches, double learningRate, String what,
                            boolean checkpointKept) {
        super(String.format("training diverged in epoch %d of %d, batch %d of %d, at learning rate %s (%s); %s; lower "
                        + "training.learning_rate", epoch, plannedEpochs, batch, batches, plain(learningRate), what,
                checkpointKept ? "the checkpoint of epoch " + (epoch - 1) + " is kept and a resume starts from it"
                        : "no checkpoint was written"));
    }

    /** 0.05 as 0.05 and 1e20 as 1.0e+20, never 100000000000000000000. */
    private static String plain(double v) {
        return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String.valueOf((float) v).replaceAll("\\.0$", "")
                : String.format("%.3g", v);
    }
}
