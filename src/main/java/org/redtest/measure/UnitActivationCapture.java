package org.redtest.measure;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.redtest.RedTestException;
import org.redtest.engine.Engines;
import org.redtest.engine.InferenceSession;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.UnbiasedCka;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.NetworkBlueprint;

import java.util.ArrayList;
import java.util.List;

/**
 * Captures the measured units' IRs, globally average-pooled to n x C as they are produced. It runs a
 * copy of the trained graph whose only outputs are pooling taps on the units (see
 * {@link Dl4jGraphFactory#measurementConfiguration}), so a 1202-layer ResNet at batch 256 keeps only
 * a few full activations alive at any time. It runs on the process's engine: on the CPU, batch norms
 * that no tap reads between them and their convolution are folded into it (tapped activations keep their
 * values); on a GPU, each unit's Gram matrix is formed there and only n x n matrices come back.
 */
public final class UnitActivationCapture implements AutoCloseable {
    private final ComputationGraph tapped;
    private final InferenceSession inference;
    private final List<String> units;
    private final int[] widths;

    private UnitActivationCapture(ComputationGraph tapped, List<String> units, int[] widths) {
        this.tapped = tapped;
        this.inference = Engines.current().inference(tapped);
        this.units = units;
        this.widths = widths;
    }

    /** Copies {@code trained}'s parameters (weights and BN statistics) layer by layer into the tapped graph. */
    public static UnitActivationCapture of(ComputationGraph trained, NetworkBlueprint blueprint) {
        ComputationGraph tapped = new ComputationGraph(Dl4jGraphFactory.measurementConfiguration(blueprint));
        tapped.init();
        for (Layer layer : trained.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            Layer target = tapped.getLayer(name);
            if (target == null || target.numParams() != layer.numParams()) {
                throw new RedTestException("the model does not match " + blueprint.spec() + " (layer " + name
                        + "): was the checkpoint trained with another model spec?");
            }
            target.setParams(layer.params());
        }
        var nodes = blueprint.nodesByName();
        int[] widths = blueprint.units().stream().mapToInt(u -> nodes.get(u.vertex()).output().channels()).toArray();
        return new UnitActivationCapture(tapped, blueprint.unitNames(), widths);
    }

    public List<String> units() {
        return units;
    }

    /** One n x C array per unit, in unit order, detached from any workspace. */
    public List<INDArray> capture(INDArray features) {
        INDArray merged = inference.output(features);
        List<INDArray> irs = new ArrayList<>(widths.length);
        long offset = 0;
        for (int w : widths) {
            irs.add(merged.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + w)));
            offset += w;
        }
        return irs;
    }

    /** The units' unbiased CKA matrix over one batch: from Gram matrices formed by the engine where it can. */
    public CkaMatrix cka(INDArray features) {
        return inference.blockGrams(features, widths)
                .map(grams -> UnbiasedCka.fromGrams(units, grams, (int) features.size(0)))
                .orElseGet(() -> UnbiasedCka.matrix(units, capture(features)));
    }

    @Override
    public void close() {
        inference.close();
        tapped.close();
    }
}
