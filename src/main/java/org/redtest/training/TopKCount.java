package org.redtest.training;

/**
 * Whether a prediction is among the top k, judged as PyTorch's {@code topk} would without favouring the true
 * class: its rank is the number of other classes that score at least as high (a tie counts against it, so a
 * saturated softmax that gives every class 1.0 is right for no class), and a class whose score is NaN outranks
 * everything, as in {@code argmax}. A non-finite score for the true class is never correct, so a diverged
 * network scores 0%, not 100%.
 */
public final class TopKCount {
    private TopKCount() {
    }

    /** How many classes rank above {@code label} in {@code scores}; Integer.MAX_VALUE when its own score is not finite. */
    public static int rank(float[] scores, int label) {
        float target = scores[label];
        if (!Float.isFinite(target)) {
            return Integer.MAX_VALUE;
        }
        int above = 0;
        for (int c = 0; c < scores.length; c++) {
            if (c != label && !(scores[c] < target)) { // NaN compares false: it counts as above
                above++;
            }
        }
        return above;
    }

    /** True when the label is among the {@code k} best of {@code scores}. */
    public static boolean inTopK(float[] scores, int label, int k) {
        return rank(scores, label) < k;
    }
}
