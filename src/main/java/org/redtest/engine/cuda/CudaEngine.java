package org.redtest.engine.cuda;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.engine.Device;
import org.redtest.engine.EngineProvider;
import org.redtest.engine.ExecutionEngine;
import org.redtest.engine.InferenceSession;
import org.redtest.engine.TrainingSession;
import org.redtest.engine.plan.Kernels;
import org.redtest.engine.plan.PlanInferenceSession;
import org.redtest.engine.plan.PlanTrainingSession;

/**
 * Our GPU engine: a graph lowered to a plan and run on cuDNN/cuBLAS ({@link CudaKernels}), with parameters,
 * activations, gradients and optimiser state on the GPU while a session is open, written back into the graph
 * when it synchronizes. It does not use ND4J's CUDA backend (whose natives stop at Ampere): ND4J stays on
 * the CPU, holding the model of record.
 *
 * <p>{@code -Dredtest.cuda.tf32=false} keeps every convolution and matrix product in exact FP32 (slower;
 * what the GPU checks compare against the plain-Java kernels with).
 */
public final class CudaEngine implements ExecutionEngine {
    public static final String TF32_PROPERTY = "redtest.cuda.tf32";
    private final CudaKernels kernels;

    public CudaEngine(boolean tf32) {
        this.kernels = new CudaKernels(new CudaDevice(tf32));
    }

    /** The engine's kernels, for the op-by-op checks of {@code bench gpu-ops}. */
    public Kernels kernels() {
        return kernels;
    }

    /** The GPU's name, compute capability, memory and library versions (for the doctor). */
    public java.util.Map<String, Object> gpuFacts() {
        return kernels.device().facts();
    }

    @Override
    public Device device() {
        return Device.CUDA;
    }

    @Override
    public String describe() {
        return "CUDA: " + kernels.describe();
    }

    @Override
    public TrainingSession training(ComputationGraph graph) {
        return new PlanTrainingSession(graph, () -> kernels);
    }

    @Override
    public InferenceSession inference(ComputationGraph graph) {
        return new PlanInferenceSession(graph, () -> kernels);
    }

    public static final class Provider implements EngineProvider {
        @Override
        public Device device() {
            return Device.CUDA;
        }

        @Override
        public ExecutionEngine open() {
            return new CudaEngine(Boolean.parseBoolean(System.getProperty(TF32_PROPERTY, "true")));
        }
    }
}
