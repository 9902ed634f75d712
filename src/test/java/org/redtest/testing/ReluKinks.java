package org.redtest.testing;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two correct implementations of a network (DL4J's and ours) round a ReLU input within about 1e-6 of zero
 * to opposite sides now and then, which changes every gradient below that ReLU discretely, however exact
 * the rest. Equivalence tests therefore use inputs for which no ReLU input comes that close, and check it
 * here, so that on a machine where one does, the failure says why instead of showing a stray gradient.
 */
public final class ReluKinks {
    private ReluKinks() {
    }

    /** Fails when some non-zero input of a ReLU layer of {@code g} (training mode) lies within {@code margin} of zero. */
    public static void assertNoReluInputNearZero(ComputationGraph g, INDArray features, double margin, String what) {
        Map<String, INDArray> activations = g.feedForward(features, true);
        var inputs = g.getConfiguration().getVertexInputs();
        for (var e : g.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ActivationLayer) {
                double closest = Double.POSITIVE_INFINITY;
                for (float v : activations.get(inputs.get(e.getKey()).get(0)).dup('c').data().asFloat()) {
                    if (v != 0) {
                        closest = Math.min(closest, Math.abs(v));
                    }
                }
                assertTrue(closest > margin, what + ": the input of ReLU " + e.getKey() + " comes within " + closest
                        + " of zero; choose another seed for this test (see ReluKinks)");
            }
        }
    }
}
