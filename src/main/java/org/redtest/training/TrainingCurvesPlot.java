package org.redtest.training;

import org.redtest.plot.PngFile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.redtest.RedTestException;
import org.redtest.plot.ChartAxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Training curves of several runs overlaid, one line per run: test top-1 or test loss against epoch. */
public final class TrainingCurvesPlot {
    /** What is plotted against epoch, with its axis title in words and units. */
    public enum Metric {
        TOP1("Test top-1 accuracy against epoch", "test top-1 accuracy (%)", EpochRecord::testTop1),
        LOSS("Test loss against epoch", "test loss (cross-entropy, nats)", EpochRecord::testLoss);

        final String title;
        final String axis;
        final ToDoubleFunction<EpochRecord> value;

        Metric(String title, String axis, ToDoubleFunction<EpochRecord> value) {
            this.title = title;
            this.axis = axis;
            this.value = value;
        }
    }

    private TrainingCurvesPlot() {
    }

    /** {@code curves}: run name to its epochs, in the order the lines are drawn; runs without epochs are left out. */
    public static void write(Map<String, List<EpochRecord>> curves, Metric metric, Path png) {
        org.redtest.plot.Headless.ensure();
        XYChart chart = new XYChartBuilder().width(900).height(520).title(metric.title)
                .xAxisTitle("epoch (a fine-tuning continues after its model's training epochs)").yAxisTitle(metric.axis).build();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        curves.forEach((run, epochs) -> {
            if (epochs.isEmpty()) {
                return;
            }
            double[] x = epochs.stream().mapToDouble(EpochRecord::epoch).toArray();
            double[] y = epochs.stream().mapToDouble(metric.value).toArray();
            chart.addSeries(run, x, y).setMarker(SeriesMarkers.CIRCLE);
            for (int i = 0; i < x.length; i++) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        });
        if (xs.isEmpty()) {
            throw new RedTestException("no epochs recorded for any of the runs: nothing to plot");
        }
        ChartAxes.widenFlatAxes(chart, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
        org.redtest.plot.ChartStyle.apply(chart);
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            PngFile.write(chart, png);
        } catch (IOException e) {
            throw new RedTestException("cannot write plot " + png + ": " + e.getMessage(), e);
        }
    }
}
