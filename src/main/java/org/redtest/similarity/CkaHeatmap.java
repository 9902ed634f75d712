package org.redtest.similarity;

import org.redtest.plot.PngFile;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
import org.redtest.RedTestException;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a CKA matrix as a PNG heatmap: units on both axes (the first unit at the bottom left), a
 * continuous colour ramp from dark blue (0) to yellow (1), values clamped to [0, 1] for colour, and
 * NaN cells (constant layers) left grey.
 */
public final class CkaHeatmap {
    /** Viridis key colours: perceptually even, readable in grey scale and by colour-blind readers. */
    private static final Color[] RAMP = {
            new Color(0x44, 0x01, 0x54), new Color(0x3b, 0x52, 0x8b), new Color(0x21, 0x91, 0x8c),
            new Color(0x5e, 0xc9, 0x62), new Color(0xfd, 0xe7, 0x25)};
    private static final Color NAN_GREY = new Color(0xb0, 0xb0, 0xb0);
    /** Below this many pixels per label, tick labels overlap; then only every k-th unit is labelled. */
    private static final int PIXELS_PER_LABEL = 16;
    private static final int MAX_SIDE = 2400;

    private CkaHeatmap() {
    }

    /**
     * Refuses a target that is an existing directory: the heatmap is one PNG file, and XChart would
     * otherwise write {@code DIR.png} beside the directory and nothing in it.
     */
    public static Path requireFileTarget(Path png) {
        if (Files.isDirectory(png)) {
            throw new RedTestException("heatmap target " + png + " is a directory; give a .png file path, e.g. "
                    + png.resolve("cka.png"));
        }
        return png;
    }

    public static void write(CkaMatrix matrix, String title, Path png) {
        String xTitle = matrix.constantLayers().isEmpty()
                ? "unit"
                : "unit   (grey: CKA undefined, constant layers " + String.join(", ", matrix.constantLayers()) + ")";
        draw(matrix.names(), matrix.names(), matrix.values(), title, xTitle, "unit", png);
    }

    /**
     * The rectangular CKA matrix between two models' units: {@code values[i][j]} compares row unit i (of the model
     * named on the y axis) with column unit j (the x axis's model).
     */
    public static void writeCross(List<String> rows, List<String> columns, double[][] values, String title,
                                  String rowModel, String columnModel, Path png) {
        draw(columns, rows, transpose(values), title, "units of " + columnModel, "units of " + rowModel, png);
    }

    private static double[][] transpose(double[][] v) {
        double[][] t = new double[v.length == 0 ? 0 : v[0].length][v.length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[i].length; j++) {
                t[j][i] = v[i][j];
            }
        }
        return t;
    }

    /** {@code values[x][y]}: the cell at x label x, y label y. */
    private static void draw(List<String> xNames, List<String> yNames, double[][] values, String title, String xTitle,
                             String yTitle, Path png) {
        requireFileTarget(png);
        org.redtest.plot.Headless.ensure();
        int m = Math.max(xNames.size(), yNames.size());
        int plotSide = Math.min(MAX_SIDE - 300, Math.max(600, 14 * m));
        // The (width, height) constructor of XChart 3.8.8 sets no theme, leaving fonts null.
        HeatMapChart chart = new HeatMapChart(plotSide + 300, plotSide + 200, Styler.ChartTheme.XChart);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        style(chart.getStyler(), m);

        List<String> xLabels = tickLabels(xNames, Math.max(1, plotSide / PIXELS_PER_LABEL));
        List<String> yLabels = tickLabels(yNames, Math.max(1, plotSide / PIXELS_PER_LABEL));
        List<Number[]> cells = new ArrayList<>(xNames.size() * yNames.size());
        for (int i = 0; i < xNames.size(); i++) {
            for (int j = 0; j < yNames.size(); j++) {
                double v = values[i][j];
                if (!Double.isNaN(v)) { // absent cells show the grey plot background
                    cells.add(new Number[] {i, j, Math.max(0.0, Math.min(1.0, v))});
                }
            }
        }
        if (cells.isEmpty()) {
            cells.add(null); // XChart refuses an empty series; a null entry is skipped when painting
        }
        chart.addSeries("CKA", xLabels, yLabels, cells);
        try {
            if (png.toAbsolutePath().getParent() != null) {
                Files.createDirectories(png.toAbsolutePath().getParent());
            }
            PngFile.write(chart, png);
        } catch (IOException e) {
            throw new RedTestException("cannot write heatmap " + png + ": " + e.getMessage(), e);
        }
    }

    private static void style(HeatMapStyler styler, int m) {
        styler.setRangeColors(RAMP);
        styler.setPiecewise(false);
        styler.setMin(0.0);
        styler.setMax(1.0);
        styler.setPlotBackgroundColor(NAN_GREY);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(false);
        styler.setPlotContentSize(1.0);
        styler.setXAxisLabelRotation(90);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setShowValue(m <= 12);
        styler.setValueFontColor(Color.BLACK);
        styler.setHeatMapValueDecimalPattern("0.00");
    }

    /**
     * Every unit's name when they fit, otherwise every k-th with blanks between. Blanks are made
     * distinct (different lengths) in case the axis treats equal labels as one category.
     */
    static List<String> tickLabels(List<String> names, int maxLabels) {
        int step = (names.size() + maxLabels - 1) / maxLabels;
        List<String> labels = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            labels.add(i % step == 0 ? names.get(i) : " ".repeat(1 + i % step));
        }
        return labels;
    }
}
