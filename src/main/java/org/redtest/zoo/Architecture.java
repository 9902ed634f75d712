package org.redtest.zoo;

import java.util.List;
import java.util.Set;

/** A model family member, independent of input shape and class count. Parsed from a model spec. */
public sealed interface Architecture permits ResNetArchitecture, VggArchitecture, NatsArchitecture {
    /** The canonical model spec string (round-trips through {@link ModelSpec#parse}). */
    String spec();

    Family family();

    /** Weight-layer depth as the paper counts it (ResNet-56 is 56); the x axis of MSRS against depth. */
    int depth();

    NetworkBlueprint blueprint(Shape input, int classes);

    /**
     * The units pruning may drop, in network order (docs/method.md, "Units"). Plain data from the spec:
     * no graph, input shape or class count needed.
     */
    List<DroppableUnit> prunableUnits();

    /**
     * This architecture without the {@code dropped} units; names that are not prunable units are ignored.
     * Throws {@link org.redtest.RedTestException} when the result would break the family's rules.
     */
    ReducedArchitecture without(Set<String> dropped);
}
