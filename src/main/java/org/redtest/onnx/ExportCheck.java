package org.redtest.onnx;

import onnx.Onnx.ModelProto;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.util.Map;

/**
 * An export checked where it will run: ONNX Runtime loads the model and its probabilities on a few random images
 * are compared with DL4J's, so a model that would not load or would disagree is never reported as exported.
 */
public final class ExportCheck {
    private ExportCheck() {
    }

    /** The largest gap between the two runtimes' probabilities on {@code images} random images. */
    public static double largestGap(ModelProto model, NetworkBlueprint blueprint, ComputationGraph graph, int images) {
        Shape in = blueprint.input();
        INDArray x = Nd4j.randn(27L, new long[] {images, in.channels(), in.height(), in.width()}).castTo(DataType.FLOAT);
        float[] ours = graph.outputSingle(false, x).dup('c').data().asFloat();
        Map<String, OnnxSession.Output> out;
        try (OnnxSession session = new OnnxSession(model, NetworkBlueprint.INPUT, "the export")) {
            out = session.run(x.dup('c').data().asFloat(), x.shape());
        }
        float[] theirs = out.get(blueprint.outputName()).values();
        double gap = 0;
        for (int i = 0; i < ours.length; i++) {
            gap = Math.max(gap, Math.abs(ours[i] - theirs[i]));
        }
        return gap;
    }
}
