package org.redtest.measure;

import org.redtest.plot.PngFile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.redtest.RedTestException;
import org.redtest.plot.ChartAxes;
import org.redtest.storage.MeasurementTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** MSRS (left axis) and test top-1 (right axis) against epoch, from the during-training probes. */
public final class TrainingRedundancyPlot {
    private TrainingRedundancyPlot() {
    }

    public static void write(List<MeasurementTable.EpochPoint> points, String title, Path png) {
        org.redtest.plot.Headless.ensure();
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("epoch (completed epochs)")
                .yAxisTitle("MSRS (mean over probe batches)").build();
        double[] epochs = points.stream().mapToDouble(MeasurementTable.EpochPoint::epoch).toArray();
        double[] msrs = points.stream().mapToDouble(p -> Double.isFinite(p.msrsMean()) ? p.msrsMean() : 0).toArray();
        chart.addSeries("MSRS", epochs, msrs).setMarker(SeriesMarkers.CIRCLE);
        List<MeasurementTable.EpochPoint> withAccuracy = points.stream().filter(p -> p.top1() != null).toList();
        if (!withAccuracy.isEmpty()) {
            XYSeries acc = chart.addSeries("test top-1 (%)",
                    withAccuracy.stream().mapToDouble(MeasurementTable.EpochPoint::epoch).toArray(),
                    withAccuracy.stream().mapToDouble(MeasurementTable.EpochPoint::top1).toArray());
            acc.setYAxisGroup(1);
            acc.setMarker(SeriesMarkers.DIAMOND);
            chart.setYAxisGroupTitle(1, "test top-1 (%)");
            chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
            ChartAxes.widenFlatY(chart, 1, withAccuracy.stream().mapToDouble(MeasurementTable.EpochPoint::top1).toArray());
        }
        ChartAxes.widenFlatAxes(chart, epochs, msrs); // after the first epoch there is one point
        org.redtest.plot.ChartStyle.apply(chart);
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            PngFile.write(chart, png);
        } catch (IOException e) {
            throw new RedTestException("cannot write plot " + png + ": " + e.getMessage(), e);
        }
    }
}
