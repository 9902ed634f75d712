package org.redtest.pruning;

/**
 * A unit that pruning may drop: its name, its group (a ResNet stage, which must keep one block;
 * empty for families without that rule), whether it is the last measured unit (always kept: it has
 * no successor to be compared with), and c = CKA with the next measured unit.
 */
public record PrunableUnit(String name, String group, boolean last, double adjacentCka) {
}
