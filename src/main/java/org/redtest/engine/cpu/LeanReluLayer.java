package org.redtest.engine.cpu;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's ReLU {@link ActivationLayer} with one pass each way. The stock layer copies its input before
 * applying ReLU in place (forward: in training, and at inference whenever its input lives in another
 * workspace, which is always in a graph) and copies it again before computing the derivative into a
 * third array (backward); here the forward pass writes max(x, 0) straight into the output and the
 * backward pass writes eps * (x > 0) straight into the gradient, both through oneDNN's kernels
 * ({@link OneDnnRelu}) where they load. Same configuration, same results; anything but a plain ReLU on
 * dense arrays, and inference outside a {@link BlockedScope}, runs the stock code.
 */
final class LeanReluLayer extends ActivationLayer {
    /** oneDNN's ReLU kernels, or null where oneDNN's Java bindings do not load (ND4J's ops then). */
    private final OneDnnRelu oneDnn;
    /** The batch norm whose output alone this layer reads, when that applies the ReLU in training; else null. */
    private OneDnnBatchNormHelper appliedBy;
    /** Forward passes that handed the batch norm's output on as this layer's (for tests). */
    private long handedOn;

    LeanReluLayer(NeuralNetConfiguration conf, DataType dataType, boolean useOneDnn) {
        super(conf, dataType);
        this.oneDnn = useOneDnn ? new OneDnnRelu() : null;
    }

    /** True for a layer whose activation is a plain ReLU (no threshold, slope or cap). */
    static boolean isPlainRelu(ActivationLayer layer) {
        return isPlainRelu(layer.layerConf().getActivationFn());
    }

    static boolean isPlainRelu(IActivation activation) {
        return activation instanceof ActivationReLU relu && relu.equals(new ActivationReLU());
    }

    /** Called before the first pass: {@code bn}'s layer alone feeds this one and applies the ReLU in training. */
    void appliedBy(OneDnnBatchNormHelper bn) {
        appliedBy = bn;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (training && appliedBy != null && appliedBy.appliedReluTo(input)) {
            handedOn++;
            return input; // training keeps every activation in one workspace: the array can be this layer's output too
        }
        // outside RedTest's scope inference stays stock: DL4J's in-place ReLU also rewrites the activation a
        // caller's feedForward reports for this layer's input, and callers there see exactly stock DL4J
        if (!isDense(input) || (!training && !BlockedScope.active())) {
            return super.activate(training, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        if (oneDnn != null && input.dataType() == DataType.FLOAT) {
            oneDnn.forward(input, out);
        } else {
            Nd4j.exec(new RectifiedLinear(input, out));
        }
        return out;
    }

    long handedOn() {
        return handedOn;
    }

    /** True when a batch norm applies this layer's ReLU in training (see {@link #appliedBy}). */
    boolean movedIntoBatchNorm() {
        return appliedBy != null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!isDense(input) || !isDense(epsilon) || !Shape.shapeEquals(input.shape(), epsilon.shape())) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        if (oneDnn != null && input.dataType() == DataType.FLOAT && epsilon.dataType() == DataType.FLOAT) {
            oneDnn.backward(input, epsilon, dx);
        } else {
            Nd4j.exec(new RectifiedLinearDerivative(input, epsilon, dx));
        }
        return new Pair<>(new DefaultGradient(), dx);
    }

    private static boolean isDense(INDArray a) {
        return a != null && a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
    }
}
