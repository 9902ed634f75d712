package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.function.BooleanSupplier;

/**
 * Stops the training before the next batch once {@code requested} says yes (a {@link StopOnSignal}'s
 * {@code requested}): the epoch under way is abandoned and {@link TrainingInterrupted} says how many are kept.
 */
final class StopOnSignalListener implements TrainingListener {
    private final BooleanSupplier requested;
    private int plannedEpochs;

    StopOnSignalListener(BooleanSupplier requested) {
        this.requested = requested;
    }

    @Override
    public void onTrainingBegin(ComputationGraph graph, int firstEpoch, int plannedEpochs) {
        this.plannedEpochs = plannedEpochs;
    }

    @Override
    public void beforeBatch(int epoch) {
        if (requested.getAsBoolean()) {
            // nothing of this epoch is saved: the checkpoint, log and rows stay at the last completed one
            throw new TrainingInterrupted(epoch, plannedEpochs);
        }
    }
}
