package org.redtest.zoo;

import java.util.Optional;

/**
 * A layer with weights as an initialisation sees it: a convolution or a linear layer (hidden or
 * classifier), with its fans counted as PyTorch counts them: fan_in = input channels x k x k (conv)
 * or input features (linear); fan_out = output channels x k x k, or output features.
 */
public record WeightLayer(Kind kind, long fanIn, long fanOut) {
    public enum Kind { CONV, LINEAR }

    /** The weight layer {@code node} is, given the shape it reads; empty for nodes without weights. */
    public static Optional<WeightLayer> of(Node node, Shape input) {
        Op op = node.op();
        if (op instanceof Op.Conv c) {
            long window = (long) c.kernel() * c.kernel();
            return Optional.of(new WeightLayer(Kind.CONV, input.channels() * window, c.outChannels() * window));
        }
        if (op instanceof Op.Dense d) {
            return Optional.of(new WeightLayer(Kind.LINEAR, input.size(), d.outFeatures()));
        }
        if (op instanceof Op.Classifier c) {
            return Optional.of(new WeightLayer(Kind.LINEAR, input.size(), c.classes()));
        }
        return Optional.empty();
    }
}
