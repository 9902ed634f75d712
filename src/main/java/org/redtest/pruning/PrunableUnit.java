package org.redtest.pruning;

/**
 * A unit that pruning may drop: its name, its group (which must keep one unit: a ResNet or VGG stage, or the
 * whole network; see {@link org.redtest.zoo.DroppableUnit}), whether it is the last measured unit (always
 * kept: it has no successor to be compared with), and c = CKA with the next measured unit.
 */
public record PrunableUnit(String name, String group, boolean last, double adjacentCka) {
}
