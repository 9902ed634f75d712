package org.redtest.engine.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.redtest.engine.Device;
import org.redtest.engine.EngineProvider;
import org.redtest.engine.ExecutionEngine;
import org.redtest.engine.InferenceSession;
import org.redtest.engine.TrainingSession;

/** DL4J's own code, exactly as DL4J runs a graph: the reference every other engine is checked against. */
public final class Dl4jEngine implements ExecutionEngine {
    @Override
    public Device device() {
        return Device.DL4J;
    }

    @Override
    public String describe() {
        return "DL4J's own layer code (reference)";
    }

    @Override
    public TrainingSession training(ComputationGraph graph) {
        return new GraphTraining(graph);
    }

    @Override
    public InferenceSession inference(ComputationGraph graph) {
        return new InferenceSession() {
            @Override
            public INDArray output(INDArray features) {
                return graph.outputSingle(false, features).detach();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Training on the graph's own arrays with {@link ComputationGraph#fit}: nothing to synchronize. */
    public static class GraphTraining implements TrainingSession {
        protected final ComputationGraph graph;

        public GraphTraining(ComputationGraph graph) {
            this.graph = graph;
        }

        @Override
        public double fit(DataSet batch) {
            graph.fit(batch);
            return graph.score();
        }

        @Override
        public void synchronize() {
        }

        @Override
        public boolean parametersFinite() {
            INDArray params = graph.params();
            return params == null || params.isEmpty() || Double.isFinite(params.sumNumber().doubleValue());
        }

        @Override
        public void close() {
        }
    }

    public static final class Provider implements EngineProvider {
        @Override
        public Device device() {
            return Device.DL4J;
        }

        @Override
        public ExecutionEngine open() {
            return new Dl4jEngine();
        }
    }
}
