package org.redtest.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.redtest.RedTestException;
import org.redtest.plot.ChartStyle;
import org.redtest.storage.MeasurementTable;
import org.redtest.training.EpochRecord;

import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The training curve as small plots, one quantity each (loss, test top-1, learning rate, and MSRS
 * when the during-training probe ran): separate images so the page can put them side by side on a
 * wide screen and one under another on a phone.
 */
final class TrainingCurves {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;

    /** One plot, ready to embed. */
    record Plot(String caption, byte[] png) {
    }

    private TrainingCurves() {
    }

    static List<Plot> of(List<EpochRecord> epochs, List<MeasurementTable.EpochPoint> msrs) {
        List<Plot> plots = new ArrayList<>();
        if (!epochs.isEmpty()) {
            XYChart loss = chart("Loss", "cross-entropy loss (nats per image)");
            series(loss, "training", epochs, EpochRecord::trainLoss);
            series(loss, "test", epochs, EpochRecord::testLoss);
            add(plots, loss, "Loss per epoch: training (mean over the epoch) and test (after the epoch).");
            XYChart top1 = chart("Test accuracy", "test top-1 accuracy (%)");
            series(top1, "test top-1", epochs, EpochRecord::testTop1);
            top1.getStyler().setLegendVisible(false);
            add(plots, top1, "Test top-1 accuracy after each epoch.");
            XYChart lr = chart("Learning rate", "learning rate (SGD step size)");
            series(lr, "learning rate", epochs, EpochRecord::learningRate);
            // held for the whole epoch: a step, not a slope between epochs
            lr.getSeriesMap().values().forEach(x -> x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step));
            lr.getStyler().setLegendVisible(false);
            add(plots, lr, "Learning rate of each epoch (step schedule).");
        }
        List<MeasurementTable.EpochPoint> finite = msrs.stream().filter(p -> Double.isFinite(p.msrsMean())).toList();
        if (!finite.isEmpty()) {
            XYChart chart = chart("Redundancy during training", "MSRS (redundant unit pairs)");
            chart.addSeries("MSRS", finite.stream().mapToDouble(MeasurementTable.EpochPoint::epoch).toArray(),
                    finite.stream().mapToDouble(MeasurementTable.EpochPoint::msrsMean).toArray()).setMarker(SeriesMarkers.CIRCLE);
            chart.getStyler().setLegendVisible(false);
            add(plots, chart, "MSRS on the probe batch(es) after each epoch.");
        }
        return plots;
    }

    /** A quantity that was never finite (e.g. no test loss recorded) gets no empty plot. */
    private static void add(List<Plot> plots, XYChart chart, String caption) {
        if (!chart.getSeriesMap().isEmpty()) {
            ChartStyle.apply(chart);
            plots.add(new Plot(caption, png(chart)));
        }
    }

    private static XYChart chart(String title, String yAxis) {
        org.redtest.plot.Headless.ensure();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch (pass over the training set)")
                .yAxisTitle(yAxis).build();
        XYStyler s = chart.getStyler();
        // the page shows plots two or three abreast, i.e. shrunk: XChart's default fonts would be unreadable
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setMarkerSize(9);
        return chart;
    }

    private static void series(XYChart chart, String name, List<EpochRecord> epochs, ToDoubleFunction<EpochRecord> value) {
        List<EpochRecord> finite = epochs.stream().filter(e -> Double.isFinite(value.applyAsDouble(e))).toList();
        if (!finite.isEmpty()) {
            chart.addSeries(name, finite.stream().mapToDouble(EpochRecord::epoch).toArray(),
                    finite.stream().mapToDouble(value).toArray()).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new RedTestException("cannot draw the training curve: " + e.getMessage(), e);
        }
    }
}
