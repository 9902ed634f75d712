package org.redtest.engine.plan;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.engine.InferenceSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a graph forward in inference mode on a plan's executor, with the parameters and running statistics
 * the graph holds when the first batch arrives; forms the Gram matrices of output blocks with the kernels.
 */
public final class PlanInferenceSession implements InferenceSession {
    private final ComputationGraph graph;
    private final Supplier<Kernels> kernels;
    private PlanExecutor executor;

    public PlanInferenceSession(ComputationGraph graph, Supplier<Kernels> kernels) {
        this.graph = graph;
        this.kernels = kernels;
    }

    /**
     * Makes the executor for {@code plan} (lowered from this session's graph) and loads the graph's state now
     * rather than at the first batch; the kernels' refusals come here, before any result.
     */
    public void open(ExecutionPlan plan) {
        PlanExecutor e = new PlanExecutor(plan, kernels.get(), false);
        GraphState.load(graph, e, false);
        executor = e;
    }

    private int run(INDArray features) {
        if (executor == null) {
            open(GraphLowering.lower(graph, PlanInputs.shapeOf(features)));
        }
        int n = (int) features.size(0);
        executor.forward(features, false);
        return n;
    }

    @Override
    public INDArray output(INDArray features) {
        int n = run(features);
        SampleShape out = executor.plan().output().out();
        float[] values = executor.kernels().downloadActivation(executor.output(n), out, n);
        long[] shape = out.plane() == 1 ? new long[]{n, out.channels()}
                : new long[]{n, out.channels(), out.height(), out.width()};
        return Nd4j.create(values, shape, 'c');
    }

    @Override
    public Optional<List<double[]>> blockGrams(INDArray features, int[] widths) {
        int n = run(features);
        SampleShape out = executor.plan().output().out();
        if (out.plane() > 1 && executor.kernels().channelsLast()) {
            return Optional.empty(); // the blocks are runs of NCHW values, which the kernels do not keep
        }
        int stride = out.size();
        Buffer rows = executor.output(n);
        List<double[]> grams = new ArrayList<>(widths.length);
        int offset = 0;
        for (int w : widths) {
            grams.add(executor.kernels().gram(n, stride, offset, w, rows));
            offset += w;
        }
        return Optional.of(grams);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.close();
            executor = null;
        }
    }
}
