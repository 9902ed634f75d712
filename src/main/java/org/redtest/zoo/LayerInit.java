package org.redtest.zoo;

/** How a layer's weights and bias start (the bias init is unused by layers without a bias). */
public record LayerInit(ParamInit weights, ParamInit bias) {
}
