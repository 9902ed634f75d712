package org.redtest.engine.cpu;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.Arrays;

/**
 * DL4J's element-wise sum vertex with a forward pass of one pass per extra input: the stock vertex copies its
 * first input into the output and then adds each other one in place. With {@code relu} (inference graphs
 * only, see {@link InferenceGraph}) it also applies the ReLU that alone read the sum, as the sum is written.
 * The backward pass is DL4J's, except that all inputs may get one copy of the gradient where that is safe;
 * anything but a sum of same-shaped dense float arrays runs the stock code.
 */
final class LeanSumVertex extends ElementWiseVertex {
    private static final Field INPUTS_IN_FORWARD_PASS;

    static {
        try {
            INPUTS_IN_FORWARD_PASS = ElementWiseVertex.class.getDeclaredField("nInForwardPass");
            INPUTS_IN_FORWARD_PASS.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean relu;
    /** Every input may get the same gradient array (see {@link SumGradientSharing}); else a copy each, as DL4J does. */
    private final boolean shareGradient;
    private final OneDnnSum sum = new OneDnnSum();

    LeanSumVertex(ComputationGraph graph, String name, int index, VertexIndices[] inputVertices,
                  VertexIndices[] outputVertices, DataType dataType, boolean relu, boolean shareGradient) {
        super(graph, name, index, inputVertices, outputVertices, Op.Add, dataType);
        this.relu = relu;
        this.shareGradient = shareGradient;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward() || inputs.length < 2 || !sameDenseFloat(inputs)) {
            INDArray out = super.doForward(training, workspaceMgr);
            return relu ? Nd4j.exec(new RectifiedLinear(out, out)) : out;
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, inputs[0].shape(), 'c');
        for (int i = 1; i < inputs.length; i++) {
            sum.add(i == 1 ? inputs[0] : out, inputs[i], out, relu && i == inputs.length - 1);
        }
        try {
            INPUTS_IN_FORWARD_PASS.setInt(this, inputs.length); // what the stock backward pass reads
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (relu) {
            throw new UnsupportedOperationException("vertex " + getVertexName() + " is a sum with its ReLU folded in, "
                    + "for inference only");
        }
        if (shareGradient && epsilon != null && inputs != null && inputs.length >= 2
                && Arrays.stream(inputs).allMatch(in -> in.equalShapes(epsilon))) {
            INDArray gradient = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon); // in this vertex's workspace
            INDArray[] each = new INDArray[inputs.length];
            Arrays.fill(each, gradient);
            return new Pair<>(null, each);
        }
        return super.doBackward(tbptt, workspaceMgr);
    }

    private static boolean sameDenseFloat(INDArray[] arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || !Shape.hasDefaultStridesForShape(a)
                    || !a.equalShapes(arrays[0])) {
                return false;
            }
        }
        return true;
    }

    boolean sharesGradient() {
        return shareGradient;
    }

    @Override
    public String toString() {
        return "LeanSumVertex(id=" + getVertexIndex() + ",name=\"" + getVertexName() + "\",relu=" + relu + ")";
    }
}
