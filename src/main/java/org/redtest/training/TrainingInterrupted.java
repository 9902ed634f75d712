package org.redtest.training;

import org.redtest.RedTestException;

import java.nio.file.Path;

/**
 * Training stopped by a signal ({@link StopOnSignal}) before its last epoch. {@code completedEpochs} are
 * saved in the checkpoint (none when it is null) and the run is marked 'interrupted'; the epoch that was
 * under way is abandoned, and the same command resumes from the checkpoint.
 */
public final class TrainingInterrupted extends RedTestException {
    private final String run;
    private final int completedEpochs;
    private final int plannedEpochs;
    private final Path checkpoint;
    private final Path database;

    public TrainingInterrupted(String run, int completedEpochs, int plannedEpochs, Path checkpoint, Path database) {
        super("training of run '" + run + "' stopped by a signal during epoch " + (completedEpochs + 1) + " of "
                + plannedEpochs + " (that epoch is abandoned)");
        this.run = run;
        this.completedEpochs = completedEpochs;
        this.plannedEpochs = plannedEpochs;
        this.checkpoint = checkpoint;
        this.database = database;
    }

    /** As the trainer knows it; the train stage adds which run, checkpoint and database. */
    TrainingInterrupted(int completedEpochs, int plannedEpochs) {
        this("?", completedEpochs, plannedEpochs, null, null);
    }

    public TrainingInterrupted of(String runName, Path checkpointFile, Path databaseFile) {
        return new TrainingInterrupted(runName, completedEpochs, plannedEpochs, checkpointFile, databaseFile);
    }

    public String run() {
        return run;
    }

    public int completedEpochs() {
        return completedEpochs;
    }

    public int plannedEpochs() {
        return plannedEpochs;
    }

    /** Null when no epoch has completed yet. */
    public Path checkpoint() {
        return checkpoint;
    }

    public Path database() {
        return database;
    }
}
