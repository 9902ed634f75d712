package org.redtest.runtime;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J's global pooling layer, reading a channel-blocked input where {@link BlockedLayouts} says so (its output is n x c). */
final class LayoutAdaptingGlobalPooling extends GlobalPoolingLayer {
    final BlockedInput layouts = new BlockedInput();

    LayoutAdaptingGlobalPooling(NeuralNetConfiguration conf, DataType dataType) {
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
            return super.activate(training, workspaceMgr);
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
            Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
            result.setSecond(layouts.fromPlain(result.getSecond(), true, ArrayType.ACTIVATION_GRAD, workspaceMgr));
            return result;
        } finally {
            input = original;
        }
    }
}
