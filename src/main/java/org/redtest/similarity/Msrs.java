package org.redtest.similarity;

/**
 * Model Structural Redundancy Score (docs/method.md, "MSRS"): a soft count of the unit pairs whose CKA
 * exceeds gamma. The defaults for gamma depend on the model family and are chosen by the caller.
 */
public final class Msrs {
    /** The paper's sharpness: score(s) is within 1% of a step for |s - gamma| > 0.025. */
    public static final double DEFAULT_BETA = 100;

    private Msrs() {
    }

    /** (tanh(beta (s - gamma)) + 1) / 2, in [0, 1]; 0.5 at s = gamma. */
    public static double score(double s, double beta, double gamma) {
        return (Math.tanh(beta * (s - gamma)) + 1) / 2;
    }

    /**
     * Sum of score(S_ij) over the pairs i < j. NaN if any pair is NaN (a constant layer): the caller
     * drops such a batch and counts it rather than scoring a partial matrix.
     */
    public static double of(CkaMatrix matrix, double beta, double gamma) {
        double total = 0;
        int m = matrix.size();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double s = matrix.get(i, j);
                if (Double.isNaN(s)) {
                    return Double.NaN;
                }
                total += score(s, beta, gamma);
            }
        }
        return total;
    }
}
