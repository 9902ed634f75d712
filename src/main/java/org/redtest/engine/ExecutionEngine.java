package org.redtest.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Runs networks on some hardware: the one door through which RedTest trains, evaluates, measures and
 * times a network. The DL4J {@link ComputationGraph} stays the model of record: an engine may hold
 * copies of its parameters elsewhere (a GPU) while a session is open, and writes them back into the
 * graph when the session {@linkplain TrainingSession#synchronize() synchronizes}, so checkpoints,
 * pruning and reports read one thing, and a run started on one engine resumes on any other.
 *
 * <p>Callers get the process's engine from {@link Engines#current()} and never know which it is.
 */
public interface ExecutionEngine {
    Device device();

    /** One line for logs and provenance: what this engine runs on. */
    String describe();

    /** A session that trains {@code graph} in place, one batch at a time. */
    TrainingSession training(ComputationGraph graph);

    /**
     * A session that runs {@code graph} forward in inference mode. It sees the graph's parameters as they
     * are now: open a new one after training steps.
     */
    InferenceSession inference(ComputationGraph graph);
}
