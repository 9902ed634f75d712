package org.redtest.plot;

import org.knowm.xchart.XYChart;

import java.util.Arrays;
import java.util.Optional;

/**
 * Axis ranges that always give readable ticks. XChart draws an axis whose values are all equal (one
 * model, one epoch) with a single tick labelled by the full-precision value ("21.172219230535386"),
 * which reads like an axis title; such an axis is widened around its value instead.
 */
public final class ChartAxes {
    private ChartAxes() {
    }

    /** The x axis and the first y axis. */
    public static void widenFlatAxes(XYChart chart, double[] xs, double[] ys) {
        widenFlatX(chart, xs);
        widenFlatY(chart, 0, ys);
    }

    public static void widenFlatX(XYChart chart, double[] xs) {
        flatRange(xs).ifPresent(r -> {
            chart.getStyler().setXAxisMin(r[0]);
            chart.getStyler().setXAxisMax(r[1]);
        });
    }

    public static void widenFlatY(XYChart chart, int yAxisGroup, double[] ys) {
        flatRange(ys).ifPresent(r -> {
            chart.getStyler().setYAxisMin(yAxisGroup, r[0]);
            chart.getStyler().setYAxisMax(yAxisGroup, r[1]);
        });
    }

    /** For a flat axis, a range around its value: 10% of its magnitude, at least 1, either side. */
    private static Optional<double[]> flatRange(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return Optional.empty();
        }
        double min = Arrays.stream(finite).min().getAsDouble();
        double max = Arrays.stream(finite).max().getAsDouble();
        if (max - min > 1e-9 * Math.max(1, Math.abs(max))) {
            return Optional.empty();
        }
        double pad = Math.max(1, Math.abs(min) * 0.1);
        return Optional.of(new double[]{min - pad, max + pad});
    }
}
