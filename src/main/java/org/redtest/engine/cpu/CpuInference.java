package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.engine.InferenceSession;
import org.redtest.engine.plan.ExecutionPlan;
import org.redtest.engine.plan.PlanInferenceSession;
import org.redtest.engine.plan.UnsupportedGraphException;

import java.util.function.Supplier;

/**
 * Inference on the CPU. At the first batch the graph is lowered to a plan and run on {@link OneDnnKernels}
 * with batch norm folded into the convolutions and the ReLUs fused into what feeds them; a graph the plan
 * cannot express, or whose buffers would not fit in memory, runs on its folded DL4J copy ({@code fallback},
 * see {@link InferenceGraph}). The weights are those the graph holds when the first batch arrives.
 */
final class CpuInference implements InferenceSession {
    private final ComputationGraph graph;
    private final Supplier<InferenceSession> fallback;
    private InferenceSession session;
    private OneDnnKernels kernels;

    CpuInference(ComputationGraph graph, Supplier<InferenceSession> fallback) {
        this.graph = graph;
        this.fallback = fallback;
    }

    @Override
    public INDArray output(INDArray features) {
        if (session == null) {
            session = choose(features.rank() == 4 ? features.shape() : null);
        }
        return session.output(features);
    }

    private InferenceSession choose(long[] shape) {
        ExecutionPlan plan = CpuPlans.lower(graph, shape, p -> p.inferenceBytes((int) shape[0]), "inference");
        if (plan != null) {
            kernels = new OneDnnKernels(0);
            PlanInferenceSession planned = new PlanInferenceSession(graph, () -> kernels);
            try {
                planned.open(plan); // the kernels' own refusals come here, before any result
                return planned;
            } catch (UnsupportedGraphException e) {
                planned.close();
                kernels.close();
                kernels = null;
                CpuPlans.log("inference", "DL4J's folded copy: " + e.getMessage());
            }
        }
        return fallback.get();
    }

    /** Whether the batches so far ran on the plan (for tests). */
    boolean onPlan() {
        return session instanceof PlanInferenceSession;
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
