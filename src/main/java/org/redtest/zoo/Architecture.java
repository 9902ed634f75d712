package org.redtest.zoo;

/** A model family member, independent of input shape and class count. Parsed from a model spec. */
public sealed interface Architecture permits ResNetArchitecture, VggArchitecture, NatsArchitecture {
    /** The canonical model spec string (round-trips through {@link ModelSpec#parse}). */
    String spec();

    Family family();

    /** Weight-layer depth as the paper counts it (ResNet-56 is 56); the x axis of MSRS against depth. */
    int depth();

    NetworkBlueprint blueprint(Shape input, int classes);
}
