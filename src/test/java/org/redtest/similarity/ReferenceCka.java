package org.redtest.similarity;

/**
 * Unbiased CKA (docs/method.md) written out with plain loops, as slowly and literally as possible: the yardstick for
 * {@link UnbiasedCka}. No centring, no shortcuts: K~, L~, tr(K~ L~), 1^T K~ 1 and 1^T K~ L~ 1.
 */
final class ReferenceCka {
    private ReferenceCka() {
    }

    /** K~ = X X^T with its diagonal set to zero. */
    static double[][] zeroDiagonalGram(double[][] x) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b) {
                    double dot = 0;
                    for (int f = 0; f < x[a].length; f++) {
                        dot += x[a][f] * x[b][f];
                    }
                    k[a][b] = dot;
                }
            }
        }
        return k;
    }

    static double hsic(double[][] k, double[][] l) {
        int n = k.length;
        double trace = 0; // tr(K~ L~) = sum_a sum_b K~_ab L~_ba
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                trace += k[a][b] * l[b][a];
            }
        }
        double sumK = 0;
        double sumL = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                sumK += k[a][b];
                sumL += l[a][b];
            }
        }
        double middle = 0; // 1^T K~ L~ 1 = sum_a sum_b sum_c K~_ab L~_bc
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < n; c++) {
                    middle += k[a][b] * l[b][c];
                }
            }
        }
        return (trace + sumK * sumL / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * middle) / (n * (n - 3.0));
    }

    static double cka(double[][] x, double[][] y) {
        double[][] k = zeroDiagonalGram(x);
        double[][] l = zeroDiagonalGram(y);
        return hsic(k, l) / Math.sqrt(hsic(k, k) * hsic(l, l));
    }
}
