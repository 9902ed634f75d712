package org.redtest.engine.cpu;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layouts of one layer's input and output (and their gradients), as {@link BlockedLayouts}
 * chose them: plain NCHW or channel-blocked, the latter only inside a {@link BlockedScope}. Where
 * the layer's code reads plain NCHW only (DL4J's pooling, or a fallback to DL4J's helper), its
 * arrays are rewritten around that code: one conversion at such a layer instead of two at every
 * convolution and batch norm along a residual stream.
 */
final class LayerLayouts {
    private int inputTag = OneDnn.PLAIN;
    private int outputTag = OneDnn.PLAIN;

    /** The tags {@link BlockedLayouts} chose, used inside a {@link BlockedScope}. */
    void use(int inputTag, int outputTag) {
        this.inputTag = inputTag;
        this.outputTag = outputTag;
    }

    /** The input's layout tag in this pass. */
    int inputTag() {
        return BlockedScope.active() ? inputTag : OneDnn.PLAIN;
    }

    /** The output's layout tag in this pass. */
    int outputTag() {
        return BlockedScope.active() ? outputTag : OneDnn.PLAIN;
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
        int tag = ofOutput ? outputTag() : inputTag();
        return tag == OneDnn.PLAIN || a == null ? a : OneDnn.relayout(a, tag, OneDnn.PLAIN, a.ulike());
    }

    /** DL4J's plain output (or its input gradient, {@code ofInput}) in the layout the graph expects. */
    INDArray fromPlain(INDArray a, boolean ofInput, ArrayType kind, LayerWorkspaceMgr workspaceMgr) {
        int tag = ofInput ? inputTag() : outputTag();
        return tag == OneDnn.PLAIN || a == null ? a
                : OneDnn.relayout(a, OneDnn.PLAIN, tag, workspaceMgr.createUninitialized(kind, DataType.FLOAT, a.shape()));
    }
}
