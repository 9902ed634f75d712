package org.redtest.engine.plan;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.engine.TrainingSession;

import java.util.function.Supplier;

/**
 * Trains a graph on a plan's executor: the graph is lowered and its state loaded at the first batch (whose
 * shape fixes the input's), then every step runs on the executor's kernels, and {@link #synchronize} writes
 * parameters, batch-norm statistics, velocity and the iteration count back into the graph. The learning
 * rate and momentum come from the graph's own updater configuration at DL4J's iteration and epoch counts.
 */
public final class PlanTrainingSession implements TrainingSession {
    private final ComputationGraph graph;
    private final Supplier<Kernels> kernels;
    private PlanExecutor executor;
    private boolean changed;

    /** {@code kernels}: asked once, at the first batch. */
    public PlanTrainingSession(ComputationGraph graph, Supplier<Kernels> kernels) {
        this.graph = graph;
        this.kernels = kernels;
    }

    @Override
    public double fit(DataSet batch) {
        INDArray features = batch.getFeatures();
        if (executor == null) {
            open(PlanInputs.shapeOf(features));
        }
        var conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();
        Nesterovs optimizer = executor.plan().optimizer();
        double lr = optimizer == null ? 0 : optimizer.getLearningRate(iteration, epoch);
        double momentum = optimizer == null ? 0 : optimizer.currentMomentum(iteration, epoch);
        double loss = executor.trainStep(features, PlanInputs.floats(batch.getLabels()), lr, momentum);
        conf.setIterationCount(iteration + 1);
        changed = true;
        return loss;
    }

    /**
     * Lowers the graph for samples of {@code shape} and loads its state (at the first call), allocates the buffers
     * for {@code batchSize} and runs a training pass of that size that changes nothing ({@link PlanExecutor#warmUp}),
     * so that the kernels make their primitives for it now.
     */
    @Override
    public void prepare(int batchSize, int channels, int height, int width) {
        if (executor == null) {
            open(new SampleShape(channels, height, width));
        }
        executor.reserve(batchSize);
        executor.warmUp(batchSize);
    }

    private void open(SampleShape shape) {
        open(GraphLowering.lower(graph, shape));
    }

    /**
     * Makes the executor for {@code plan} (lowered from this session's graph) and loads the graph's state now
     * rather than at the first batch; the kernels' refusals come here, before anything changes.
     */
    public void open(ExecutionPlan plan) {
        PlanExecutor e = new PlanExecutor(plan, kernels.get(), true);
        GraphState.load(graph, e, true);
        executor = e;
    }

    /** The executor, once the first batch made it (for tests and diagnostics). */
    public PlanExecutor executor() {
        return executor;
    }

    @Override
    public void synchronize() {
        if (changed) {
            GraphState.store(executor, graph, true);
            changed = false;
        }
    }

    @Override
    public boolean parametersFinite() {
        return executor == null || Double.isFinite(executor.parameterSumOfSquares());
    }

    @Override
    public void close() {
        if (executor != null) {
            synchronize();
            executor.close();
            executor = null;
        }
    }
}
