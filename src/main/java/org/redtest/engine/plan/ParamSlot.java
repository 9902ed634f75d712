package org.redtest.engine.plan;

/**
 * Where one DL4J parameter array lives in a plan's flat parameter buffer: the graph's
 * {@code layer_key} parameter (e.g. {@code stem.conv_W}), its DL4J shape, flattened in C order
 * (conv weights out x in x kH x kW, dense weights in x out), at {@code offset}.
 */
public record ParamSlot(String layer, String key, long[] shape, long offset, int length, boolean regularized) {
    public String variable() {
        return layer + "_" + key;
    }
}
