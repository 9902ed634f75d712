package org.redtest.similarity;

import java.util.ArrayList;
import java.util.List;

/**
 * The m x m unbiased-CKA similarity matrix S of one batch (docs/method.md, "Unbiased linear CKA").
 *
 * @param names          the measured units, in order (row/column i is {@code names.get(i)})
 * @param values         S, symmetric; S_ii = 1 except for constant layers, whose whole row and
 *                       column (diagonal included) is NaN. Not copied: treat it as read-only.
 * @param constantLayers units whose IR is constant over the batch (self-HSIC not positive), so their
 *                       CKA is undefined; listed so that callers report them instead of hiding them
 * @param n              the number of samples the matrix was computed from
 */
public record CkaMatrix(List<String> names, double[][] values, List<String> constantLayers, int n) {

    public CkaMatrix {
        names = List.copyOf(names);
        constantLayers = List.copyOf(constantLayers);
        if (values.length != names.size()) {
            throw new IllegalArgumentException(values.length + " rows for " + names.size() + " names");
        }
        for (double[] row : values) {
            if (row.length != names.size()) {
                throw new IllegalArgumentException("CKA matrix is not square: a row has " + row.length
                        + " entries for " + names.size() + " names");
            }
        }
    }

    /** Number of units m. */
    public int size() {
        return names.size();
    }

    public double get(int i, int j) {
        return values[i][j];
    }

    /** CKA of each unit with the next one: S[k][k+1] for k = 0..m-2 (what layer pruning walks). */
    public double[] adjacent() {
        return adjacentOf(values);
    }

    static double[] adjacentOf(double[][] values) {
        double[] out = new double[Math.max(0, values.length - 1)];
        for (int k = 0; k < out.length; k++) {
            out[k] = values[k][k + 1];
        }
        return out;
    }

    public boolean hasNaN() {
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isNaN(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Off-diagonal NaN pairs i < j as "a~b", for messages. */
    public List<String> nanPairs() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            for (int j = i + 1; j < values.length; j++) {
                if (Double.isNaN(values[i][j])) {
                    pairs.add(names.get(i) + "~" + names.get(j));
                }
            }
        }
        return pairs;
    }

    /**
     * This matrix on a larger grid of unit names (a pruned model's on its original's): rows and columns of
     * names this matrix lacks are NaN, so a heatmap can leave them blank and line up with the original's.
     * Refused when a name of this matrix is not on the grid.
     */
    public CkaMatrix onGrid(List<String> grid) {
        if (!grid.containsAll(names)) {
            throw new IllegalArgumentException("units " + names + " are not all on the grid " + grid);
        }
        double[][] placed = new double[grid.size()][grid.size()];
        for (int i = 0; i < grid.size(); i++) {
            int a = names.indexOf(grid.get(i));
            for (int j = 0; j < grid.size(); j++) {
                int b = names.indexOf(grid.get(j));
                placed[i][j] = a < 0 || b < 0 ? Double.NaN : values[a][b];
            }
        }
        return new CkaMatrix(grid, placed, constantLayers, n);
    }
}
