package org.redtest.pruning;

/** Figures written to the precision their spread supports: "30 ± 4", "2.4 ± 0.3", "0.82 ± 0.05". */
public final class Rounding {
    private Rounding() {
    }

    /** Decimals for a figure whose spread is {@code spread}: none from 1 up, one from 0.1 up, else two. */
    public static int decimals(double spread) {
        if (!Double.isFinite(spread) || spread >= 1) {
            return Double.isFinite(spread) ? 0 : 1;
        }
        return spread >= 0.1 ? 1 : 2;
    }

    public static String withSpread(double value, double spread) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        int d = decimals(spread);
        String v = String.format("%." + d + "f", value);
        return Double.isFinite(spread) ? v + " ± " + String.format("%." + d + "f", spread) : v;
    }
}
