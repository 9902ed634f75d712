package org.redtest.engine.plan;

/**
 * A batch norm's running statistics in a plan's state buffer: the mean and the variance (DL4J stores the
 * variance as log10 of the standard deviation when {@code logStd}), {@code channels} values each.
 */
public record BatchNormState(String layer, int channels, long meanOffset, long varianceOffset, boolean logStd) {
}
