package org.redtest.zoo;

/** Model families, with the MSRS gamma default of SPEC section 3. */
public enum Family {
    RESNET(0.8), VGG(0.7), NATS(0.8);

    private final double defaultGamma;

    Family(double defaultGamma) {
        this.defaultGamma = defaultGamma;
    }

    public double defaultGamma() {
        return defaultGamma;
    }
}
