package org.redtest.pruning;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Carries trained weights into a rebuilt graph: every layer whose original counterpart has
 * parameters of exactly the same shapes takes them (weights, biases, BN scale/shift and running
 * statistics); a layer whose input shape changed keeps the fresh initialisation its family gave it
 * when the rebuilt graph was built ({@link org.redtest.zoo.Family#init}).
 */
public final class WeightTransfer {
    /** Which rebuilt layers took trained weights and which were freshly initialised. */
    public record Result(List<String> copied, List<String> reinitialized) {
    }

    private WeightTransfer() {
    }

    public static Result copy(ComputationGraph trained, ComputationGraph rebuilt, PrunedStructure structure) {
        List<String> copied = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (Layer layer : rebuilt.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            String name = layer.conf().getLayer().getLayerName();
            Layer source = trained.getLayer(structure.originalLayerName(name));
            if (source != null && sameShapes(source.paramTable(), layer.paramTable())) {
                layer.setParams(source.params());
                copied.add(name);
            } else {
                fresh.add(name);
            }
        }
        return new Result(copied, fresh);
    }

    private static boolean sameShapes(Map<String, INDArray> a, Map<String, INDArray> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue().shape(), b.get(e.getKey()).shape()));
    }
}
