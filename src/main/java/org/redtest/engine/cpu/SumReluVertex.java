package org.redtest.engine.cpu;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a sum followed by the ReLU that alone reads it, one vertex in an {@link InferenceGraph}
 * (never trained, never saved): a {@link LeanSumVertex} with its ReLU.
 */
final class SumReluVertex extends ElementWiseVertex {
    SumReluVertex() {
        super(Op.Add);
    }

    @Override
    public SumReluVertex clone() {
        return new SumReluVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SumReluVertex;
    }

    @Override
    public int hashCode() {
        return SumReluVertex.class.hashCode();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new LeanSumVertex(graph, name, idx, null, null, networkDatatype, true, false);
    }
}
