package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint half of the save sequence: each completed epoch's record is added to the epoch log, then
 * {@code model.zip} is written (the database row comes after, from a listener told later). A kill at any
 * instant leaves the log >= the checkpoint >= the database, and a resume writes the rows the database lacks
 * from the log ({@link Trainer#reconcile}).
 */
public final class EpochCheckpoints implements TrainingListener {
    private final CheckpointStore store;
    private List<EpochRecord> log = new ArrayList<>();

    public EpochCheckpoints(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public void onTrainingBegin(ComputationGraph graph, int firstEpoch, int plannedEpochs) {
        // the log's records of the epochs the checkpoint holds; a record beyond them belongs to an epoch
        // whose model.zip never landed (killed in between) and is recomputed
        log = new ArrayList<>(store.readEpochLog().stream().filter(r -> r.epoch() <= firstEpoch).toList());
    }

    @Override
    public void onEpoch(ComputationGraph graph, EpochRecord record) {
        log.add(record);
        store.writeEpochLog(log);
        CrashPoints.reach(CrashPoints.EPOCH_LOG_WRITTEN);
        store.saveModel(graph);
        CrashPoints.reach(CrashPoints.MODEL_SAVED);
    }

    /** Whether a checkpoint exists for a resume to start from (what a divergence message says). */
    boolean kept() {
        return store.hasModel();
    }
}
