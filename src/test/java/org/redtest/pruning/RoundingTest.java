package org.redtest.pruning;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundingTest {
    @Test
    void aFigureKeepsTheDecimalsItsSpreadSupports() {
        assertEquals("30 ± 4", Rounding.withSpread(30.4, 4.2));
        assertEquals("19.3 ± 0.4", Rounding.withSpread(19.34, 0.41));
        assertEquals("0.82 ± 0.05", Rounding.withSpread(0.8234, 0.05));
        assertEquals("12.3", Rounding.withSpread(12.34, Double.NaN), "no spread: one decimal, no ±");
        assertEquals("n/a", Rounding.withSpread(Double.NaN, 1));
    }
}
