package org.redtest.zoo;

/**
 * A measured unit that pruning may drop (docs/method.md, "Units"), and its group: of each group at least
 * one unit must stay (a ResNet stage needs a block, a VGG stage a conv; a NATS network forms one group).
 */
public record DroppableUnit(String name, String group) {
    /** The group of a family whose only rule is that the network keeps a unit. */
    public static final String WHOLE_NETWORK = "network";
}
