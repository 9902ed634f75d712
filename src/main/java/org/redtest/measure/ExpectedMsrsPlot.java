package org.redtest.measure;

import org.redtest.plot.PngFile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.redtest.RedTestException;
import org.redtest.plot.ChartAxes;
import org.redtest.storage.MeasurementTable.DepthPoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** MSRS against depth: measured points and the fitted linear and quadratic curves of each group. */
public final class ExpectedMsrsPlot {
    private ExpectedMsrsPlot() {
    }

    public static void write(List<ExpectedMsrsFit.Group> groups, Path png) {
        org.redtest.plot.Headless.ensure();
        XYChart chart = new XYChartBuilder().width(900).height(560).title("MSRS against depth")
                .xAxisTitle("depth (weight layers)").yAxisTitle("MSRS (mean over batches)").build();
        for (ExpectedMsrsFit.Group g : groups) {
            XYSeries points = chart.addSeries(g.label(), g.points().stream().mapToDouble(DepthPoint::depth).toArray(),
                    g.points().stream().mapToDouble(DepthPoint::msrsMean).toArray());
            points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            points.setMarker(SeriesMarkers.CIRCLE);
            int min = g.points().stream().mapToInt(DepthPoint::depth).min().orElse(0);
            int max = g.points().stream().mapToInt(DepthPoint::depth).max().orElse(1);
            curve(chart, g.label() + " linear", g.linear(), min, max);
            curve(chart, g.label() + " quadratic", g.quadratic(), min, max);
        }
        ChartAxes.widenFlatAxes(chart,
                groups.stream().flatMap(g -> g.points().stream()).mapToDouble(DepthPoint::depth).toArray(),
                groups.stream().flatMap(g -> g.points().stream()).mapToDouble(DepthPoint::msrsMean).toArray());
        org.redtest.plot.ChartStyle.apply(chart);
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            PngFile.write(chart, png);
        } catch (IOException e) {
            throw new RedTestException("cannot write plot " + png + ": " + e.getMessage(), e);
        }
    }

    private static void curve(XYChart chart, String name, double[] c, int min, int max) {
        if (c == null) {
            return;
        }
        int steps = 50;
        double[] x = new double[steps + 1];
        double[] y = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            x[i] = min + (max - min) * i / (double) steps;
            y[i] = ExpectedMsrsFit.evaluate(c, x[i]);
        }
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }
}
