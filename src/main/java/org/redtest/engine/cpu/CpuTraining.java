package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.engine.TrainingSession;
import org.redtest.engine.plan.ExecutionPlan;
import org.redtest.engine.plan.PlanTrainingSession;
import org.redtest.engine.plan.UnsupportedGraphException;

import java.util.function.Supplier;

/**
 * Training on the CPU. When prepared, or at the first batch, the graph is lowered to a plan and trained on
 * {@link OneDnnKernels}: parameters, gradients and optimiser state in flat native buffers, each activation in
 * the layout its channel count gets ({@link ActivationLayout}) from layer to layer, the optimiser as a few
 * passes over the whole parameter buffer, none of DL4J's per-layer bookkeeping. A graph the plan cannot express (or {@code -Dredtest.cpu.plan=false}) trains
 * on DL4J's layers with our oneDNN helpers instead ({@code fallback}), as does one whose plan would not fit in
 * memory (the plan keeps every activation and its gradient in buffers of their own, which grows with depth
 * times batch size: ResNet-56 at batch 128 holds about 2 GiB). The graph stays the model of record:
 * {@link #synchronize} writes everything back into it.
 */
final class CpuTraining implements TrainingSession {
    private final ComputationGraph graph;
    private final Supplier<TrainingSession> fallback;
    private TrainingSession session;
    private OneDnnKernels kernels;

    CpuTraining(ComputationGraph graph, Supplier<TrainingSession> fallback) {
        this.graph = graph;
        this.fallback = fallback;
    }

    @Override
    public double fit(DataSet batch) {
        if (session == null) {
            INDArray f = batch.getFeatures();
            choose(f.rank() == 4 ? f.shape() : null);
        }
        return session.fit(batch);
    }

    @Override
    public void prepare(int batchSize, int channels, int height, int width) {
        if (session == null) {
            choose(new long[]{batchSize, channels, height, width});
        }
        session.prepare(batchSize, channels, height, width);
    }

    /** The plan where it applies to batches of {@code shape} (n x C x H x W; null: not an image batch), else DL4J's layers. */
    private void choose(long[] shape) {
        ExecutionPlan plan = CpuPlans.lower(graph, shape, p -> p.trainingBytes((int) shape[0]), "training");
        if (plan != null) {
            kernels = new OneDnnKernels(graph.getConfiguration().getDefaultConfiguration().getSeed()
                    + graph.getConfiguration().getIterationCount());
            PlanTrainingSession planned = new PlanTrainingSession(graph, () -> kernels);
            try {
                planned.open(plan); // may refuse, changes nothing
                session = planned;
                CpuPlans.log("training", "the plan on oneDNN kernels");
                return;
            } catch (UnsupportedGraphException e) {
                planned.close();
                kernels.close();
                kernels = null;
                CpuPlans.log("training", "DL4J's layers with oneDNN helpers: " + e.getMessage());
            }
        }
        session = fallback.get();
    }

    /** The plan's kernels, null when not on the plan (for tests). */
    OneDnnKernels kernels() {
        return kernels;
    }

    /** Whether the batches so far trained on the plan (false before the first batch; for tests). */
    boolean onPlan() {
        return session instanceof PlanTrainingSession;
    }

    @Override
    public void synchronize() {
        if (session != null) {
            session.synchronize();
        }
    }

    @Override
    public boolean parametersFinite() {
        return session == null || session.parametersFinite();
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        if (kernels != null) {
            kernels.close();
            kernels = null;
        }
    }
}
