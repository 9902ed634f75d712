package org.redtest.zoo;

/**
 * Model families, with the MSRS gamma default (docs/method.md, "MSRS") and the initialisation each
 * family's reference code uses. Batch norm starts at scale 1 and shift 0 in every family (PyTorch's
 * default, DL4J's too); {@link #init} covers the layers with weights.
 */
public enum Family {
    /**
     * CIFAR ResNets as the usual PyTorch implementation builds them: every conv and the linear
     * classifier get Kaiming-normal weights with fan_in, N(0, 2/fan_in); the classifier's bias keeps
     * PyTorch's default, uniform in +-1/sqrt(fan_in) (the convs have no bias).
     */
    RESNET(0.8) {
        @Override
        public LayerInit init(WeightLayer layer) {
            return new LayerInit(ParamInit.kaimingNormal(layer.fanIn()), ParamInit.torchDefault(layer.fanIn()));
        }
    },
    /**
     * VGG-BN for CIFAR: convs N(0, 2/(k*k*out_channels)) (Kaiming normal with fan_out) and zero bias;
     * the three linear layers keep PyTorch's default, weights and biases uniform in +-1/sqrt(fan_in).
     * (He-normal on the hidden linear layers makes VGG-16's initial logits about 16 times wider and it
     * barely learns in a short budget.)
     */
    VGG(0.7) {
        @Override
        public LayerInit init(WeightLayer layer) {
            return switch (layer.kind()) {
                case CONV -> new LayerInit(ParamInit.kaimingNormal(layer.fanOut()), ParamInit.ZERO);
                case LINEAR -> new LayerInit(ParamInit.torchDefault(layer.fanIn()), ParamInit.torchDefault(layer.fanIn()));
            };
        }
    },
    /**
     * NATS-Bench cell networks: the benchmark's code leaves every layer at PyTorch's default, so
     * convs (no bias) and the classifier draw weights, and the classifier its bias, uniformly in
     * +-1/sqrt(fan_in).
     */
    NATS(0.8) {
        @Override
        public LayerInit init(WeightLayer layer) {
            return new LayerInit(ParamInit.torchDefault(layer.fanIn()), ParamInit.torchDefault(layer.fanIn()));
        }
    };

    private final double defaultGamma;

    Family(double defaultGamma) {
        this.defaultGamma = defaultGamma;
    }

    public double defaultGamma() {
        return defaultGamma;
    }

    /** How this family initialises a conv or linear layer. */
    public abstract LayerInit init(WeightLayer layer);
}
