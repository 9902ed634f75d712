package org.redtest.plot;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.text.DecimalFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Ticks rounded to what the axis range can tell apart, legends off the data, the page's white. */
class ChartStyleTest {
    @Test
    void tickLabelsKeepOnlyTheDigitsTheRangeNeeds() {
        assertEquals("0", ChartStyle.tickPattern(new double[] {38.0859375, 40.1, 80}));
        assertEquals("38", new DecimalFormat(ChartStyle.tickPattern(new double[] {34.2, 72.0859375})).format(38.0859375));
        assertEquals("0.##", ChartStyle.tickPattern(new double[] {0.1, 0.9}));
        assertEquals("0.###", ChartStyle.tickPattern(new double[] {0.001, 0.02}), "learning rates");
        assertEquals("0", ChartStyle.tickPattern(new double[] {21.912028336850657}), "one value: rounded by its size");
        assertEquals("0.##", ChartStyle.tickPattern(new double[] {Double.NaN}));
    }

    @Test
    void theLegendGoesBelowThePlotAndTheBackgroundIsWhite() {
        XYChart chart = new XYChartBuilder().width(400).height(300).build();
        chart.addSeries("a", new double[] {1, 2}, new double[] {3, 4});
        chart.addSeries("b", new double[] {1, 2}, new double[] {4, 3});
        ChartStyle.apply(chart);
        assertEquals(Styler.LegendPosition.OutsideS, chart.getStyler().getLegendPosition());
        assertEquals(Color.WHITE, chart.getStyler().getPlotBackgroundColor());
        assertEquals(170, chart.getSeriesMap().get("a").getMarkerColor().getAlpha(), "overlapping markers stay visible");
        XYChart one = new XYChartBuilder().width(400).height(300).build();
        one.addSeries("only", new double[] {1}, new double[] {3});
        ChartStyle.apply(one);
        assertFalse(one.getStyler().isLegendVisible(), "one series needs no legend");
    }
}
