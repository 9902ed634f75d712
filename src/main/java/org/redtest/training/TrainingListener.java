package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A side concern of training (checkpoints, database rows, the MSRS probe, progress, stopping on a signal),
 * told what the {@link Trainer}'s loop does, in the manner of DJL's listeners: the loop itself knows none of
 * them. Every method does nothing unless a listener overrides it; {@link TrainingListeners} hands out the
 * usual sets, and listeners are told in the order the set holds them.
 */
public interface TrainingListener {
    /** Before the first epoch to train ({@code firstEpoch}: the graph's completed epochs, 0-based). */
    default void onTrainingBegin(ComputationGraph graph, int firstEpoch, int plannedEpochs) {
    }

    /** Epoch {@code epoch} (0-based) is about to train on {@code images} images. */
    default void onEpochBegin(int epoch, long images) {
    }

    /**
     * Before every batch of epoch {@code epoch} (0-based); a listener stops the training by throwing (see
     * {@link StopOnSignalListener}): nothing of the epoch under way is then saved.
     */
    default void beforeBatch(int epoch) {
    }

    /** After a batch's update, whose loss and parameters are finite. */
    default void onTrainingBatch(int images, double loss) {
    }

    /** The epoch's batches are over, or abandoned by a stop or divergence (always told, as a {@code finally}). */
    default void onEpochBatchesEnd() {
    }

    /** Epoch {@code record.epoch()} (1-based) is complete and evaluated; told in the set's order. */
    default void onEpoch(ComputationGraph graph, EpochRecord record) {
    }
}
