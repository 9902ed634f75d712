package org.redtest.plot;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17 item 3: one fitted model made the y axis read "21.172219230535386" (a single full-precision tick). */
class ChartAxesTest {
    @Test
    void aFlatAxisIsWidenedAroundItsValue() {
        XYChart chart = new XYChartBuilder().build();
        ChartAxes.widenFlatAxes(chart, new double[]{20}, new double[]{21.172219230535386});
        assertEquals(18, chart.getStyler().getXAxisMin(), "10% of the value either side");
        assertEquals(22, chart.getStyler().getXAxisMax());
        assertTrue(chart.getStyler().getYAxisMin(0) < 21.17 && chart.getStyler().getYAxisMax(0) > 21.18);
        assertEquals(2 * 2.1172219230535386, chart.getStyler().getYAxisMax(0) - chart.getStyler().getYAxisMin(0), 1e-9);
    }

    @Test
    void aFlatAxisNearZeroIsWidenedByOne() {
        XYChart chart = new XYChartBuilder().build();
        ChartAxes.widenFlatAxes(chart, new double[]{1, 1}, new double[]{0.25, 0.25});
        assertEquals(0, chart.getStyler().getXAxisMin());
        assertEquals(-0.75, chart.getStyler().getYAxisMin(0));
    }

    @Test
    void aSpreadAxisIsLeftToXChart() {
        XYChart chart = new XYChartBuilder().build();
        ChartAxes.widenFlatAxes(chart, new double[]{8, 20}, new double[]{3, Double.NaN, 21});
        assertNull(chart.getStyler().getXAxisMin());
        assertNull(chart.getStyler().getYAxisMin(0));
    }
}
