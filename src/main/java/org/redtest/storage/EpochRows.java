package org.redtest.storage;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.training.CheckpointStore;
import org.redtest.training.EpochRecord;
import org.redtest.training.Trainer;
import org.redtest.training.TrainingListener;

import java.util.List;

/**
 * A run's epoch rows, written as training completes each epoch (after its checkpoint: the last step of the save
 * sequence), and restored from the checkpoint's epoch log where a kill left them unwritten.
 */
public final class EpochRows implements TrainingListener {
    private final ResultsDatabase db;
    private final long runId;

    public EpochRows(ResultsDatabase db, long runId) {
        this.db = db;
        this.runId = runId;
    }

    @Override
    public void onEpoch(ComputationGraph graph, EpochRecord record) {
        db.recordEpoch(runId, record);
    }

    /**
     * Writes the rows of the epochs {@code graph} has completed that the database lacks, from {@code store}'s
     * epoch log (a kill after {@code model.zip}'s rename left them unwritten); returns the epochs restored.
     */
    public List<Integer> restoreFrom(CheckpointStore store, ComputationGraph graph) {
        return Trainer.reconcile(store, graph, db.epochs(runId), r -> db.recordEpoch(runId, r));
    }

    /** The seconds of the run's recorded epochs, this session's and earlier ones'. */
    public double totalSeconds() {
        return db.epochs(runId).stream().mapToDouble(EpochRecord::seconds).sum();
    }
}
