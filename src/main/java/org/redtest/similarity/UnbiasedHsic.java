package org.redtest.similarity;

import java.util.ArrayList;
import java.util.List;

/**
 * The unbiased HSIC estimator (docs/method.md, "Unbiased linear CKA"), from its three sums, and the step from HSIC values
 * to a {@link CkaMatrix}. Shared by both engines so that they can differ only in how the sums are
 * obtained.
 */
final class UnbiasedHsic {
    private UnbiasedHsic() {
    }

    /**
     * HSIC_u(K, L) for zero-diagonal Gram matrices K~, L~ of n samples.
     *
     * @param traceKL    tr(K~ L~)
     * @param sumK       1^T K~ 1
     * @param sumL       1^T L~ 1
     * @param rowSumsDot 1^T K~ L~ 1 = (K~ 1) . (L~ 1)
     */
    static double of(double traceKL, double sumK, double sumL, double rowSumsDot, int n) {
        double nd = n;
        return (traceKL + sumK * sumL / ((nd - 1) * (nd - 2)) - 2.0 / (nd - 2) * rowSumsDot) / (nd * (nd - 3));
    }

    /**
     * CKA from a symmetric matrix of HSIC values (only the upper triangle, diagonal included, is read).
     * A unit whose self-HSIC is not a positive finite number has an undefined CKA: its row and column
     * become NaN and it is listed as constant.
     */
    static CkaMatrix toCka(List<String> names, double[][] hsic, int n) {
        int m = names.size();
        boolean[] degenerate = new boolean[m];
        List<String> constant = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            double self = hsic[i][i];
            degenerate[i] = !(self > 0) || !Double.isFinite(self);
            if (degenerate[i]) {
                constant.add(names.get(i));
            }
        }
        double[][] cka = new double[m][m];
        for (int i = 0; i < m; i++) {
            cka[i][i] = degenerate[i] ? Double.NaN : 1.0;
            for (int j = i + 1; j < m; j++) {
                double value = degenerate[i] || degenerate[j]
                        ? Double.NaN
                        : hsic[i][j] / Math.sqrt(hsic[i][i] * hsic[j][j]);
                // Filling both halves from one value keeps S exactly symmetric.
                cka[i][j] = value;
                cka[j][i] = value;
            }
        }
        return new CkaMatrix(names, cka, constant, n);
    }
}
