package org.redtest.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

import java.awt.Color;
import java.awt.Font;
import java.util.Arrays;
import java.util.stream.DoubleStream;

/**
 * One look for every chart, matching the report page: white background, light grid, the page's sans-serif
 * text, the legend below the plot (never over the data), half-transparent markers so overlapping points stay
 * visible, and tick labels rounded to what the axis range can tell apart ("38", "0.25", never "38.0859375").
 */
public final class ChartStyle {
    /** The page's blue first, then colours distinguishable by colour-blind readers (Okabe-Ito). */
    private static final Color[] PALETTE = {new Color(0x2c, 0x6f, 0xbb), new Color(0xe6, 0x9f, 0x00),
            new Color(0x00, 0x9e, 0x73), new Color(0xcc, 0x79, 0xa7), new Color(0xd5, 0x5e, 0x00),
            new Color(0x56, 0xb4, 0xe9), new Color(0x55, 0x55, 0x55)};
    private static final Color GRID = new Color(0xe5, 0xe5, 0xe5);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);

    private ChartStyle() {
    }

    /**
     * The page's look, legend below; call after the series are added and any axis range is set (the tick
     * patterns follow the data and those ranges; series without a colour get the palette's).
     */
    public static void apply(XYChart chart) {
        XYStyler st = chart.getStyler();
        double[] xs = DoubleStream.concat(chart.getSeriesMap().values().stream().flatMapToDouble(x -> DoubleStream.of(x.getXData())),
                DoubleStream.of(orNaN(st.getXAxisMin()), orNaN(st.getXAxisMax()))).toArray();
        double[] ys = DoubleStream.concat(chart.getSeriesMap().values().stream().flatMapToDouble(x -> DoubleStream.of(x.getYData())),
                DoubleStream.of(orNaN(st.getYAxisMin()), orNaN(st.getYAxisMax()))).toArray();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xcc, 0xcc, 0xcc));
        s.setPlotGridLinesColor(GRID);
        s.setChartFontColor(TEXT);
        s.setAxisTickLabelsColor(TEXT);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        // one entry per line below the plot: long run names never run off the image's edge
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setLegendVisible(chart.getSeriesMap().size() > 1);
        if (s.getChartTitleFont() == null || s.getChartTitleFont().getSize() < 16) {
            s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        }
        s.setXAxisDecimalPattern(tickPattern(xs));
        s.setYAxisDecimalPattern(tickPattern(ys));
        int i = 0;
        for (XYSeries series : chart.getSeriesMap().values()) {
            Color c = series.getMarkerColor() != null ? series.getMarkerColor()
                    : series.getLineColor() != null ? series.getLineColor() : PALETTE[i % PALETTE.length];
            if (series.getLineColor() == null) {
                series.setLineColor(c);
            }
            series.setMarkerColor(translucent(c));
            i++;
        }
    }

    private static double orNaN(Double d) {
        return d == null ? Double.NaN : d;
    }

    /** A marker colour two thirds opaque: where dots overlap, both stay visible. */
    static Color translucent(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 170);
    }

    /**
     * A decimal pattern for an axis over {@code values}: XChart steps its ticks by a fifth to a tenth of the range,
     * so the pattern keeps one significant digit of a tenth ("0" for a range of 10 or more, "0.#" from 1, "0.##"
     * from 0.1 ...); '#' drops trailing zeros, so whole ticks read "20", not "20.0".
     */
    public static String tickPattern(double[] values) {
        double[] finite = values == null ? new double[0] : DoubleStream.of(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return "0.##";
        }
        double range = Arrays.stream(finite).max().getAsDouble() - Arrays.stream(finite).min().getAsDouble();
        double scale = range > 0 ? range : Math.max(1e-12, Math.abs(finite[0]));
        int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(scale / 10))));
        return decimals == 0 ? "0" : "0." + "#".repeat(decimals);
    }
}
