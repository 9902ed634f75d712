package org.redtest.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.UnbiasedCka;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The all-pairs CKA engine against the per-pair method that recomputes both Gram matrices for
 * every pair (the paper's public code), on the 55 pooled IRs of a ResNet-110 (widths 16/32/64).
 * IR values do not change the cost, so they are seeded Gaussians with some correlation between layers.
 */
public final class CkaEngineBenchmark {
    /** Best times of the all-pairs engine and the per-pair method, in seconds. */
    public record Result(double engineSeconds, double perPairSeconds, double maxDifference) {
        public double speedUp() {
            return perPairSeconds / engineSeconds;
        }
    }

    private CkaEngineBenchmark() {
    }

    public static Result run(int n, PrintWriter out) {
        List<String> names = new ArrayList<>();
        List<INDArray> irs = new ArrayList<>();
        Nd4j.getRandom().setSeed(7);
        INDArray previous = null;
        int[] widths = resnet110Widths();
        for (int i = 0; i < widths.length; i++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, n, widths[i]);
            if (previous != null && previous.columns() == widths[i]) {
                x.addi(previous.mul(2));
            }
            names.add("unit" + i);
            irs.add(x);
            previous = x;
        }
        UnbiasedCka.matrix(names, irs); // warm-up
        double fast = Double.MAX_VALUE;
        CkaMatrix fastResult = null;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            fastResult = UnbiasedCka.matrix(names, irs);
            fast = Math.min(fast, (System.nanoTime() - t0) / 1e9);
        }
        double slow = Double.MAX_VALUE;
        CkaMatrix slowResult = null;
        for (int r = 0; r < 2; r++) {
            long t0 = System.nanoTime();
            slowResult = UnbiasedCka.matrixPerPair(names, irs);
            slow = Math.min(slow, (System.nanoTime() - t0) / 1e9);
        }
        double maxDiff = 0;
        for (int i = 0; i < widths.length; i++) {
            for (int j = 0; j < widths.length; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(fastResult.get(i, j) - slowResult.get(i, j)));
            }
        }
        out.printf("CKA matrix of %d IRs (ResNet-110 widths 16/32/64), n = %d, %d pairs%n", widths.length, n,
                widths.length * (widths.length - 1) / 2);
        out.printf("  all-pairs engine (best of 5): %8.3f s%n", fast);
        out.printf("  per-pair method  (best of 2): %8.3f s%n", slow);
        out.printf("  speed-up %.1fx (target >= 50x); max |difference| %.1e%n", slow / fast, maxDiff);
        out.flush();
        return new Result(fast, slow, maxDiff);
    }

    /** Stem + 18 blocks at each of 16, 32 and 64 channels. */
    static int[] resnet110Widths() {
        int[] w = new int[55];
        w[0] = 16;
        for (int i = 1; i < 55; i++) {
            w[i] = 16 << ((i - 1) / 18);
        }
        return w;
    }
}
