package org.redtest.engine.cpu;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J's pooling layer, reading and writing channel-blocked arrays where {@link BlockedLayouts} says so. */
final class LayoutAdaptingSubsampling extends SubsamplingLayer {
    final LayerLayouts layouts = new LayerLayouts();

    LayoutAdaptingSubsampling(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!layouts.keepsBlocked()) {
            return super.activate(training, workspaceMgr);
        }
        INDArray original = input;
        try {
            input = layouts.plain(original, false);
            return layouts.fromPlain(super.activate(training, workspaceMgr), false, ArrayType.ACTIVATIONS, workspaceMgr);
        } finally {
            input = original;
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!layouts.keepsBlocked()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray original = input;
        try {
            input = layouts.plain(original, false);
            Pair<Gradient, INDArray> result = super.backpropGradient(layouts.plain(epsilon, true), workspaceMgr);
            result.setSecond(layouts.fromPlain(result.getSecond(), true, ArrayType.ACTIVATION_GRAD, workspaceMgr));
            return result;
        } finally {
            input = original;
        }
    }
}
