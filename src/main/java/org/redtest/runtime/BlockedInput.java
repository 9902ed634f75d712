package org.redtest.runtime;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layouts of a DL4J layer that reads plain NCHW only but sits where {@link BlockedLayouts}
 * keeps activations channel-blocked (pooling: the channel-padding shortcut's subsampling, the
 * global pooling at a network's end, a measurement tap): its input, its output and their gradients
 * are rewritten around DL4J's code. One conversion at such a layer instead of two at every
 * convolution and batch norm along a residual stream.
 */
final class BlockedInput {
    private int inputTag = OneDnn.PLAIN;
    private int outputTag = OneDnn.PLAIN;

    void use(int inputTag, int outputTag) {
        this.inputTag = inputTag;
        this.outputTag = outputTag;
    }

    /** True when the layer reads or writes blocked arrays in this pass (only inside a {@link BlockedScope}). */
    boolean keepsBlocked() {
        return BlockedScope.active() && configured();
    }

    /** Channels per block of the blocked input (when {@link #configured()}). */
    int block() {
        return OneDnn.channelBlock(inputTag);
    }

    /** True when the layer reads or writes blocked arrays inside a {@link BlockedScope}. */
    boolean configured() {
        return inputTag != OneDnn.PLAIN || outputTag != OneDnn.PLAIN;
    }

    /** The layer's input (or its output's gradient, {@code ofOutput}) as plain NCHW. */
    INDArray plain(INDArray a, boolean ofOutput) {
        int tag = !BlockedScope.active() ? OneDnn.PLAIN : ofOutput ? outputTag : inputTag;
        return tag == OneDnn.PLAIN || a == null ? a : OneDnn.relayout(a, tag, OneDnn.PLAIN, a.ulike());
    }

    /** DL4J's plain output (or its input gradient, {@code ofInput}) in the layout the graph expects. */
    INDArray fromPlain(INDArray a, boolean ofInput, ArrayType kind, LayerWorkspaceMgr workspaceMgr) {
        int tag = !BlockedScope.active() ? OneDnn.PLAIN : ofInput ? inputTag : outputTag;
        return tag == OneDnn.PLAIN || a == null ? a
                : OneDnn.relayout(a, OneDnn.PLAIN, tag, workspaceMgr.createUninitialized(kind, DataType.FLOAT, a.shape()));
    }
}
