package org.redtest.engine;

import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains one graph in place, a batch at a time, with the updater, learning-rate schedule and L2
 * regularisation its configuration holds. Not thread-safe: one thread runs a session.
 */
public interface TrainingSession extends AutoCloseable {
    /**
     * One optimisation step on {@code batch}. Returns the loss as DL4J scores it (mean cross-entropy plus
     * the L2 term) for the parameters the step started from.
     */
    double fit(DataSet batch);

    /**
     * Sets up what the first batch of {@code batchSize} images of channels x height x width would otherwise set
     * up inside its step (an engine's plan, its buffers, its kernels for that batch size), so that the first step
     * costs what the others do. Called once per batch size to come (an epoch's full batches, then its last partial
     * one). Optional: a session that is not prepared does this at its first batch of each size.
     */
    default void prepare(int batchSize, int channels, int height, int width) {
    }

    /**
     * Makes the graph hold everything the session changed (parameters, batch-norm statistics, updater
     * state, iteration count). Needed before a checkpoint, an evaluation or any other reading of the
     * graph; engines that train the graph's own arrays have nothing to do.
     */
    void synchronize();

    /** True when every parameter is a finite number now (after the last step). */
    boolean parametersFinite();

    /** Synchronizes, then releases what the session holds. */
    @Override
    void close();
}
