package org.redtest.zoo;

/**
 * A measured unit (docs/method.md, "Units"): {@code name} identifies it (e.g. "s2.b3", "conv5", "cell7"),
 * {@code vertex} is the graph vertex whose output is its intermediate representation.
 */
public record Unit(String name, String vertex) {
}
