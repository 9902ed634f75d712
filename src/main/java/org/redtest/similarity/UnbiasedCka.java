package org.redtest.similarity;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.RedTestException;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Unbiased linear CKA between all pairs of m IRs (docs/method.md, "Unbiased linear CKA"). Each IR is an n x d matrix of one
 * batch; the engine knows nothing about where the IRs come from.
 *
 * <p>Two numerical details, both practically free:
 * <ul>
 *   <li>Every IR has its first row subtracted from all rows before its Gram matrix is formed.
 *       HSIC_u is unchanged by K -> K + a1^T + 1a^T, which is what subtracting a common row does, but
 *       the large common offset of ReLU or BN outputs no longer cancels catastrophically in the
 *       sums, and a constant layer becomes exactly zero, so HSIC_u(K,K) = 0 exactly and the layer is
 *       reported as constant instead of yielding rounding noise.</li>
 *   <li>All sums are in double precision, whatever the IR's type.</li>
 * </ul>
 */
public final class UnbiasedCka {
    private UnbiasedCka() {
    }

    /**
     * The fast engine: each Gram matrix once, then every pair at once as two matrix products.
     * K~ is symmetric with a zero diagonal, so it is fully described by its strictly upper triangle
     * u (n(n-1)/2 entries): tr(K~_i K~_j) = 2 u_i . u_j, i.e. 2 (U U^T)_ij with U's rows u_i (half
     * the memory and work of flattening all n^2 entries), and 1^T K~_i K~_j 1 = (R R^T)_ij with R's rows
     * K~_i 1. Memory: U is m x n(n-1)/2 doubles (157 MB for m = 601, n = 256), plus the Java copies of
     * at most {@code GRAM_CHUNK} triangles being formed.
     *
     * @param names one name per IR, used in messages and in the result
     * @param irs   n x d matrices (any numeric type), all with the same n >= 4
     */
    public static CkaMatrix matrix(List<String> names, List<INDArray> irs) {
        int n = checkedSampleCount(names, irs);
        double[][] samples = new double[irs.size()][];
        return fromTriangles(names, n, new TriangleSource() {
            @Override
            public void prepare(int from, int to) {
                java.util.Arrays.fill(samples, null); // only one chunk's copies alive at a time
                for (int i = from; i < to; i++) {
                    samples[i] = contiguousDoubles(irs.get(i));
                }
            }

            @Override
            public void fill(int i, double[] upper, double[] rowSums) {
                if (!allFinite(samples[i])) {
                    throw new RedTestException("non-finite activation (NaN or Inf) in layer " + names.get(i));
                }
                shiftedGramTriangle(samples[i], n, (int) irs.get(i).size(1), upper, rowSums);
            }
        });
    }

    /**
     * The same matrix from Gram matrices formed elsewhere (on a GPU): one n x n row-major matrix per unit,
     * of the unit's IR after its first row was subtracted from every row (see the class comment).
     */
    public static CkaMatrix fromGrams(List<String> names, List<double[]> grams, int n) {
        if (names.size() != grams.size() || grams.isEmpty()) {
            throw new IllegalArgumentException(names.size() + " names for " + grams.size() + " Gram matrices");
        }
        if (n < 4) {
            throw new RedTestException("unbiased CKA needs at least 4 samples, got " + n);
        }
        return fromTriangles(names, n, (i, upper, rowSums) -> {
            double[] k = grams.get(i);
            if (k.length != n * n) {
                throw new IllegalArgumentException("Gram matrix of " + names.get(i) + " has " + k.length
                        + " entries, not " + n + " x " + n);
            }
            if (!allFinite(k)) {
                throw new RedTestException("non-finite activation (NaN or Inf) in layer " + names.get(i));
            }
            int p = 0;
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    double v = k[a * n + b];
                    upper[p++] = v;
                    rowSums[a] += v;
                    rowSums[b] += v;
                }
            }
        });
    }

    /** Writes unit i's strictly upper Gram triangle (row by row) and the row sums of K~. */
    private interface TriangleSource {
        /**
         * Called on the caller's thread before units [from, to) are filled in parallel: ND4J work (copying an
         * IR out) stays off the fork-join pool, where it competed with ND4J's own threads (10% slower MSRS).
         */
        default void prepare(int from, int to) {
        }

        void fill(int i, double[] upper, double[] rowSums);
    }

    /** Every pair's HSIC from the units' Gram triangles, formed a chunk of units at a time. */
    private static CkaMatrix fromTriangles(List<String> names, int n, TriangleSource source) {
        int m = names.size();
        int pairs = n * (n - 1) / 2;
        double[][] hsic = new double[m][m];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray upperTriangles = Nd4j.create(DataType.DOUBLE, m, pairs);
            INDArray rowSums = Nd4j.create(DataType.DOUBLE, m, n);
            double[] sums = new double[m];
            // Gram triangles are formed in plain Java, a few IRs per core at a time: with pooled IRs
            // (d up to a few hundred) the dispatch cost of many small ND4J calls dominated the arithmetic.
            for (int from = 0; from < m; from += GRAM_CHUNK) {
                int first = from;
                int to = Math.min(m, from + GRAM_CHUNK);
                source.prepare(from, to);
                double[][] upper = new double[to - from][];
                double[][] gramRowSums = new double[to - from][];
                IntStream.range(from, to).parallel().forEach(i -> {
                    upper[i - first] = new double[pairs];
                    gramRowSums[i - first] = new double[n];
                    source.fill(i, upper[i - first], gramRowSums[i - first]);
                });
                for (int i = from; i < to; i++) {
                    putRow(upperTriangles, i, upper[i - from]);
                    putRow(rowSums, i, gramRowSums[i - from]);
                    sums[i] = Arrays.stream(gramRowSums[i - from]).sum();
                }
            }
            double[][] halfTraces = rowDotProducts(upperTriangles);
            release(upperTriangles);
            double[][] rowSumDots = rowDotProducts(rowSums);
            release(rowSums);
            for (int i = 0; i < m; i++) {
                for (int j = i; j < m; j++) {
                    hsic[i][j] = UnbiasedHsic.of(2 * halfTraces[i][j], sums[i], sums[j], rowSumDots[i][j], n);
                }
            }
        }
        return UnbiasedHsic.toCka(names, hsic, n);
    }

    /** IRs whose Gram triangles are held in memory together (bounds memory for 600-unit models). */
    private static final int GRAM_CHUNK = 32;

    /** The IR's values, row-major, in double (a copy; views such as column slices are handled). */
    private static double[] contiguousDoubles(INDArray ir) {
        INDArray c = ir.dup('c');
        double[] values = c.data().asDouble();
        release(c);
        return values;
    }

    private static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * With X' = X minus its first row (see the class comment): the strictly upper triangle of
     * K = X' X'^T, row by row, into {@code upper}, and the row sums of K~ into {@code rowSums}.
     */
    private static void shiftedGramTriangle(double[] x, int n, int d, double[] upper, double[] rowSums) {
        double[] s = new double[n * d];
        for (int a = 0; a < n; a++) {
            for (int k = 0; k < d; k++) {
                s[a * d + k] = x[a * d + k] - x[k];
            }
        }
        int p = 0;
        for (int a = 0; a < n; a++) {
            int ra = a * d;
            for (int b = a + 1; b < n; b++) {
                int rb = b * d;
                // four independent sums: one running sum chains every addition on the last (4x slower)
                double d0 = 0;
                double d1 = 0;
                double d2 = 0;
                double d3 = 0;
                int k = 0;
                for (; k + 3 < d; k += 4) {
                    d0 += s[ra + k] * s[rb + k];
                    d1 += s[ra + k + 1] * s[rb + k + 1];
                    d2 += s[ra + k + 2] * s[rb + k + 2];
                    d3 += s[ra + k + 3] * s[rb + k + 3];
                }
                for (; k < d; k++) {
                    d0 += s[ra + k] * s[rb + k];
                }
                double dot = (d0 + d1) + (d2 + d3);
                upper[p++] = dot;
                rowSums[a] += dot;
                rowSums[b] += dot;
            }
        }
    }

    private static void putRow(INDArray matrix, int row, double[] values) {
        INDArray vector = Nd4j.createFromArray(values);
        matrix.getRow(row).assign(vector);
        release(vector);
    }

    /**
     * The straightforward baseline, as the paper's public numpy code does it: for every pair i < j,
     * both Gram matrices are formed again and the three HSIC values (cross and both self terms) are
     * computed from them with ND4J operations. Same result as {@link #matrix}; used to measure the
     * speed-up of computing each Gram matrix once and all pairs together.
     */
    public static CkaMatrix matrixPerPair(List<String> names, List<INDArray> irs) {
        int n = checkedSampleCount(names, irs);
        for (int i = 0; i < irs.size(); i++) {
            if (!isFinite(irs.get(i))) {
                throw new RedTestException("non-finite activation (NaN or Inf) in layer " + names.get(i));
            }
        }
        int m = irs.size();
        double[][] hsic = new double[m][m];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray offDiagonal = offDiagonalMask(n);
            if (m == 1) {
                INDArray gram = zeroDiagonalGram(irs.get(0), offDiagonal);
                hsic[0][0] = hsic(gram, gram, n);
                release(gram);
            }
            for (int i = 0; i < m; i++) {
                for (int j = i + 1; j < m; j++) {
                    INDArray k = zeroDiagonalGram(irs.get(i), offDiagonal);
                    INDArray l = zeroDiagonalGram(irs.get(j), offDiagonal);
                    hsic[i][j] = hsic(k, l, n);
                    hsic[i][i] = hsic(k, k, n);
                    hsic[j][j] = hsic(l, l, n);
                    release(k);
                    release(l);
                }
            }
            release(offDiagonal);
        }
        return UnbiasedHsic.toCka(names, hsic, n);
    }

    /** HSIC_u of two zero-diagonal Gram matrices, each term with ND4J operations. */
    private static double hsic(INDArray k, INDArray l, int n) {
        INDArray product = k.mul(l);
        double trace = product.sumNumber().doubleValue();
        release(product);
        INDArray kRowSums = k.sum(1);
        INDArray lRowSums = l.sum(1);
        INDArray rowProducts = kRowSums.mul(lRowSums);
        double result = UnbiasedHsic.of(trace, kRowSums.sumNumber().doubleValue(),
                lRowSums.sumNumber().doubleValue(), rowProducts.sumNumber().doubleValue(), n);
        release(rowProducts);
        release(kRowSums);
        release(lRowSums);
        return result;
    }

    /** K~ = X'X'^T in double with its diagonal zeroed, where X' is the IR minus its first row. */
    private static INDArray zeroDiagonalGram(INDArray ir, INDArray offDiagonal) {
        INDArray shifted = shiftedToFirstRow(ir);
        INDArray gram = Nd4j.gemm(shifted, shifted, false, true);
        release(shifted);
        return gram.muli(offDiagonal);
    }

    /** The IR in double with its first row subtracted from every row (see the class comment). */
    private static INDArray shiftedToFirstRow(INDArray ir) {
        INDArray x = ir.castTo(DataType.DOUBLE);
        INDArray shifted = x.subRowVector(x.getRow(0));
        if (x != ir) {
            release(x);
        }
        return shifted;
    }

    /** Ones everywhere except a zero diagonal: multiplying by it turns K into K~. */
    private static INDArray offDiagonalMask(int n) {
        double[] mask = new double[n * n];
        Arrays.fill(mask, 1.0);
        for (int i = 0; i < n; i++) {
            mask[i * (n + 1)] = 0.0;
        }
        return Nd4j.create(mask, new long[] {n, n}, DataType.DOUBLE);
    }

    /** rows rows^T, as a Java matrix. */
    private static double[][] rowDotProducts(INDArray rows) {
        INDArray product = Nd4j.gemm(rows, rows, false, true);
        double[][] out = product.toDoubleMatrix();
        release(product);
        return out;
    }

    /** Frees native memory now rather than at the next GC; views and workspace arrays are left alone. */
    private static void release(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
    }

    /** Validates the IRs and returns their common sample count n. */
    private static int checkedSampleCount(List<String> names, List<INDArray> irs) {
        if (names.size() != irs.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + irs.size() + " IRs");
        }
        if (irs.isEmpty()) {
            throw new IllegalArgumentException("no IRs to compare");
        }
        long n = -1;
        String first = null;
        for (int i = 0; i < irs.size(); i++) {
            INDArray ir = irs.get(i);
            String name = names.get(i);
            if (ir.rank() != 2) {
                throw new RedTestException("layer " + name + ": CKA needs an n x d IR (pool 4-D IRs first), got shape "
                        + Arrays.toString(ir.shape()));
            }
            if (ir.size(1) == 0) {
                throw new RedTestException("layer " + name + ": IR has no features (shape "
                        + Arrays.toString(ir.shape()) + ")");
            }
            if (n < 0) {
                n = ir.size(0);
                first = name;
            } else if (ir.size(0) != n) {
                throw new RedTestException("layer " + name + " has " + ir.size(0) + " samples but layer " + first
                        + " has " + n + ": all IRs must come from the same batch");
            }
        }
        if (n < 4) {
            throw new RedTestException("unbiased CKA needs at least 4 samples, got " + n);
        }
        if (n > 46_340) {
            throw new RedTestException("unbiased CKA over " + n + " samples needs n x n Gram matrices that are too large;"
                    + " use batches of at most 46340 samples");
        }
        return (int) n;
    }

    private static boolean isFinite(INDArray ir) {
        if (!ir.dataType().isFPType()) {
            return true;
        }
        INDArray nan = ir.isNaN();
        INDArray infinite = ir.isInfinite();
        boolean finite = !nan.any() && !infinite.any();
        release(nan);
        release(infinite);
        return finite;
    }
}
