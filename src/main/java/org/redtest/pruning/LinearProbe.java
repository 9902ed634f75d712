package org.redtest.pruning;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Linear-probe accuracy per unit, the layer-selection criterion of Chen and Zhao (2018, "Shallowing
 * deep networks: layer-wise pruning based on feature representations"): a linear classifier is fitted
 * on each unit's (pooled) features; a unit whose probe is barely more accurate than the previous
 * unit's adds little and is pruned first. The probe here is a ridge-regression classifier on
 * standardised features with one-hot targets (closed form, deterministic).
 */
public final class LinearProbe {
    private static final double RIDGE = 1e-2;

    private LinearProbe() {
    }

    /** Test accuracy in [0, 1] of a probe on each unit: fitted on {@code train}, scored on {@code test}. */
    public static double[] accuracies(List<INDArray> train, int[] trainLabels, List<INDArray> test, int[] testLabels,
                                      int classes) {
        double[] out = new double[train.size()];
        for (int u = 0; u < train.size(); u++) {
            out[u] = accuracy(train.get(u).toDoubleMatrix(), trainLabels, test.get(u).toDoubleMatrix(), testLabels, classes);
        }
        return out;
    }

    static double accuracy(double[][] xTrain, int[] yTrain, double[][] xTest, int[] yTest, int classes) {
        int d = xTrain[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] row : xTrain) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / xTrain.length;
            }
        }
        for (double[] row : xTrain) {
            for (int j = 0; j < d; j++) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / xTrain.length;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = std[j] > 1e-12 ? Math.sqrt(std[j]) : 1.0;
        }
        // Normal equations with a bias column: (A^T A + ridge I) W = A^T Y
        int p = d + 1;
        double[][] gram = new double[p][p];
        double[][] rhs = new double[p][classes];
        double[] a = new double[p];
        for (int i = 0; i < xTrain.length; i++) {
            features(xTrain[i], mean, std, a);
            for (int r = 0; r < p; r++) {
                for (int c = r; c < p; c++) {
                    gram[r][c] += a[r] * a[c];
                }
                rhs[r][yTrain[i]] += a[r];
            }
        }
        for (int r = 0; r < p; r++) {
            for (int c = 0; c < r; c++) {
                gram[r][c] = gram[c][r];
            }
            gram[r][r] += RIDGE * xTrain.length;
        }
        RealMatrix w = new CholeskyDecomposition(new Array2DRowRealMatrix(gram, false))
                .getSolver().solve(new Array2DRowRealMatrix(rhs, false));
        int correct = 0;
        for (int i = 0; i < xTest.length; i++) {
            features(xTest[i], mean, std, a);
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes && !Double.isNaN(bestScore); k++) {
                double s = 0;
                for (int r = 0; r < p; r++) {
                    s += a[r] * w.getEntry(r, k);
                }
                if (s > bestScore || Double.isNaN(s)) { // argmax as PyTorch's: a NaN wins, and then is never correct
                    bestScore = s;
                    best = k;
                }
            }
            correct += best == yTest[i] && Double.isFinite(bestScore) ? 1 : 0;
        }
        return correct / (double) xTest.length;
    }

    private static void features(double[] x, double[] mean, double[] std, double[] out) {
        for (int j = 0; j < x.length; j++) {
            out[j] = (x[j] - mean[j]) / std[j];
        }
        out[x.length] = 1.0;
    }
}
