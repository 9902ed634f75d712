package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.redtest.engine.Device;
import org.redtest.engine.EngineProvider;
import org.redtest.engine.ExecutionEngine;
import org.redtest.engine.InferenceSession;
import org.redtest.engine.TrainingSession;
import org.redtest.engine.dl4j.Dl4jEngine;


/**
 * The CPU through our oneDNN code: training on the graph's plan with {@link OneDnnKernels}
 * ({@link CpuTraining}), or where the plan does not apply on DL4J's layers with our fast path
 * ({@link FastCpuPath}, installed on a graph the first time a session opens on it) inside a
 * {@link BlockedScope}, so that activations may stay channel-blocked between layers; inference on the
 * graph's folded copy ({@link InferenceGraph}). On a graph whose layers do not run on DL4J's oneDNN
 * helpers this is DL4J's own code.
 */
public final class CpuEngine implements ExecutionEngine {
    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public String describe() {
        return "CPU: " + CpuAcceleration.status().describe();
    }

    /** {@code graph} with the fast path installed (once). */
    private static ComputationGraph prepared(ComputationGraph graph) {
        return FastCpuPath.install(graph);
    }

    @Override
    public TrainingSession training(ComputationGraph graph) {
        ComputationGraph prepared = prepared(graph);
        return new CpuTraining(prepared, () -> new Dl4jEngine.GraphTraining(prepared) {
            @Override
            public double fit(DataSet batch) {
                try (BlockedScope ignored = BlockedScope.open()) { // nothing outside reads the inner activations
                    return super.fit(batch);
                }
            }
        });
    }

    @Override
    public InferenceSession inference(ComputationGraph graph) {
        ComputationGraph prepared = prepared(graph);
        return new CpuInference(prepared, () -> foldedCopy(prepared));
    }

    /** Inference on the graph's folded DL4J copy. */
    private static InferenceSession foldedCopy(ComputationGraph graph) {
        InferenceGraph folded = InferenceGraph.of(graph);
        return new InferenceSession() {
            @Override
            public INDArray output(INDArray features) {
                try (BlockedScope ignored = BlockedScope.open()) { // outputs and taps are handed over plain
                    return folded.graph().outputSingle(false, features).detach();
                }
            }

            @Override
            public void close() {
                folded.close();
            }
        };
    }

    public static final class Provider implements EngineProvider {
        @Override
        public Device device() {
            return Device.CPU;
        }

        @Override
        public ExecutionEngine open() {
            return new CpuEngine();
        }
    }
}
