package org.redtest.storage;

import java.util.ArrayList;
import java.util.List;

/** JSON has no NaN: non-finite numbers are written as null, so every file and column stays valid JSON. */
public final class JsonNumbers {
    private JsonNumbers() {
    }

    public static Double nanToNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    public static List<Double> nanToNull(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(nanToNull(v));
        }
        return out;
    }

    public static List<List<Double>> nanToNull(double[][] matrix) {
        List<List<Double>> out = new ArrayList<>(matrix.length);
        for (double[] row : matrix) {
            out.add(nanToNull(row));
        }
        return out;
    }
}
