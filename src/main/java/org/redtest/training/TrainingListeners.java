package org.redtest.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The listeners of one training, in the order they are told: ready-made sets ({@link #basic}, {@link #standard})
 * that a caller extends with its own concerns ({@link #and}: database rows, the MSRS probe). Every set starts with
 * the checkpoints, so the save sequence is the epoch log, then {@code model.zip}, then whatever the caller added
 * (the database row).
 */
public final class TrainingListeners {
    private final EpochCheckpoints checkpoints;
    private final List<TrainingListener> all;

    private TrainingListeners(EpochCheckpoints checkpoints, List<TrainingListener> all) {
        this.checkpoints = checkpoints;
        this.all = List.copyOf(all);
    }

    /** Checkpoints in {@code store}, a progress bar and a line per epoch; never stops before the last epoch. */
    public static TrainingListeners basic(CheckpointStore store) {
        EpochCheckpoints checkpoints = new EpochCheckpoints(store);
        return new TrainingListeners(checkpoints, List.of(checkpoints, new ProgressListener()));
    }

    /** As {@link #basic}, and stops before the next batch once {@code stopRequested} says yes. */
    public static TrainingListeners standard(CheckpointStore store, BooleanSupplier stopRequested) {
        return basic(store).and(new StopOnSignalListener(stopRequested));
    }

    /** This set with {@code listener} told last. */
    public TrainingListeners and(TrainingListener listener) {
        List<TrainingListener> more = new ArrayList<>(all);
        more.add(listener);
        return new TrainingListeners(checkpoints, more);
    }

    List<TrainingListener> all() {
        return all;
    }

    boolean checkpointKept() {
        return checkpoints.kept();
    }
}
