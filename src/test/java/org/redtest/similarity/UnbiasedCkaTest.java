package org.redtest.similarity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.RedTestException;
import org.redtest.engine.cpu.CpuAcceleration;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnbiasedCkaTest {
    static {
        CpuAcceleration.configure();
    }

    private static final List<String> SIX = List.of("l0", "l1", "l2", "l3", "l4", "l5");

    /** Six layers of widths 3..40 from one batch: some strongly related, some independent. */
    static List<double[][]> layers(int n, long seed) {
        Random rnd = new Random(seed);
        double[][] l0 = gaussian(rnd, n, 3);
        double[][] l1 = add(times(l0, gaussian(rnd, 3, 8)), scaled(gaussian(rnd, n, 8), 0.1));
        double[][] l2 = offset(tanh(times(l1, gaussian(rnd, 8, 15))), 5.0); // large common offset
        double[][] l3 = gaussian(rnd, n, 20);                                 // unrelated
        double[][] l4 = add(relu(l3, 25, rnd), scaled(times(l2, gaussian(rnd, 15, 25)), 0.3));
        double[][] l5 = add(scaled(gaussian(rnd, n, 40), 2.0), times(l0, gaussian(rnd, 3, 40)));
        return List.of(l0, l1, l2, l3, l4, l5);
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 50})
    void matchesTheLiteralFormulaForFloatAndDoubleIrs(int n) {
        List<double[][]> layers = layers(n, n);
        List<INDArray> irs = new ArrayList<>();
        List<double[][]> asStored = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            // even layers as float32, like real activations; the reference sees the rounded values
            INDArray ir = Nd4j.createFromArray(layers.get(i));
            if (i % 2 == 0) {
                ir = ir.castTo(DataType.FLOAT);
            }
            irs.add(ir);
            asStored.add(ir.castTo(DataType.DOUBLE).toDoubleMatrix());
        }
        CkaMatrix s = UnbiasedCka.matrix(SIX, irs);

        assertEquals(n, s.n());
        assertTrue(s.constantLayers().isEmpty());
        double min = 1;
        double max = 0;
        for (int i = 0; i < 6; i++) {
            assertEquals(1.0, s.get(i, i), 0.0);
            for (int j = 0; j < 6; j++) {
                assertEquals(s.get(i, j), s.get(j, i), 0.0, "symmetric");
                if (i != j) {
                    double expected = ReferenceCka.cka(asStored.get(i), asStored.get(j));
                    assertEquals(expected, s.get(i, j), 1e-6, SIX.get(i) + "~" + SIX.get(j));
                    min = Math.min(min, s.get(i, j));
                    max = Math.max(max, s.get(i, j));
                }
            }
        }
        assertTrue(min < 0.2 && max > 0.9, "test data spans [0,1]: min " + min + " max " + max);
    }

    @Test
    void perPairBaselineAgreesWithTheFastEngine() {
        List<INDArray> irs = layers(40, 7).stream().map(Nd4j::createFromArray).toList();
        CkaMatrix fast = UnbiasedCka.matrix(SIX, irs);
        CkaMatrix slow = UnbiasedCka.matrixPerPair(SIX, irs);
        assertEquals(fast.names(), slow.names());
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(fast.get(i, j), slow.get(i, j), 1e-9);
            }
        }
    }

    @Test
    void invariantToScalingAndOrthogonalTransformsAndOneForIdenticalLayers() {
        List<double[][]> layers = layers(30, 3);
        CkaMatrix original = UnbiasedCka.matrix(SIX, layers.stream().map(Nd4j::createFromArray).toList());

        List<INDArray> transformed = new ArrayList<>();
        for (double[][] layer : layers) {
            int d = layer[0].length;
            double[][] t = new double[layer.length][d];
            for (int r = 0; r < layer.length; r++) {
                for (int c = 0; c < d; c++) {
                    // column c <- -(column (c+1) mod d) * 3.7: a permutation, sign flips and a scale
                    t[r][c] = -3.7 * layer[r][(c + 1) % d];
                }
            }
            transformed.add(Nd4j.createFromArray(t));
        }
        CkaMatrix after = UnbiasedCka.matrix(SIX, transformed);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(original.get(i, j), after.get(i, j), 1e-10);
            }
        }

        INDArray x = Nd4j.createFromArray(layers.get(4));
        CkaMatrix same = UnbiasedCka.matrix(List.of("a", "b"), List.of(x, x.dup()));
        assertEquals(1.0, same.get(0, 1), 1e-12);
    }

    @Test
    void singleIrGivesTheOneByOneMatrix() {
        CkaMatrix s = UnbiasedCka.matrix(List.of("only"), List.of(Nd4j.createFromArray(layers(8, 1).get(2))));
        assertEquals(1, s.size());
        assertEquals(1.0, s.get(0, 0));
        assertEquals(0, s.adjacent().length);
    }

    @Test
    void rejectsTooFewSamplesMismatchedBatchesAndNonFiniteValues() {
        Random rnd = new Random(1);
        INDArray three = Nd4j.createFromArray(gaussian(rnd, 3, 5));
        RedTestException tooFew = assertThrows(RedTestException.class,
                () -> UnbiasedCka.matrix(List.of("a", "b"), List.of(three, three)));
        assertTrue(tooFew.getMessage().contains("at least 4 samples, got 3"), tooFew.getMessage());

        INDArray ten = Nd4j.createFromArray(gaussian(rnd, 10, 5));
        INDArray nine = Nd4j.createFromArray(gaussian(rnd, 9, 5));
        RedTestException mismatch = assertThrows(RedTestException.class,
                () -> UnbiasedCka.matrix(List.of("a", "b", "block3"), List.of(ten, ten, nine)));
        assertTrue(mismatch.getMessage().contains("block3") && mismatch.getMessage().contains("9")
                && mismatch.getMessage().contains("10"), mismatch.getMessage());

        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            INDArray broken = ten.castTo(DataType.FLOAT).dup();
            broken.putScalar(4, 2, bad);
            RedTestException e = assertThrows(RedTestException.class,
                    () -> UnbiasedCka.matrixPerPair(List.of("fine", "conv7"), List.of(ten, broken)));
            assertTrue(e.getMessage().contains("non-finite") && e.getMessage().contains("conv7"), e.getMessage());
        }

        INDArray fourD = Nd4j.create(DataType.FLOAT, 10, 2, 3, 3);
        RedTestException rank = assertThrows(RedTestException.class,
                () -> UnbiasedCka.matrix(List.of("a", "conv"), List.of(ten, fourD)));
        assertTrue(rank.getMessage().contains("conv"), rank.getMessage());
    }

    @Test
    void constantLayersAreReportedAsNaNRowsWhileOtherPairsStayFinite() {
        List<double[][]> layers = layers(20, 5);
        double[][] constant = new double[20][6];
        for (double[] row : constant) {
            for (int c = 0; c < row.length; c++) {
                row[c] = 0.37 * (c + 1) + 11; // the same nonzero vector for every sample
            }
        }
        List<INDArray> irs = new ArrayList<>();
        irs.add(Nd4j.createFromArray(layers.get(0)));
        irs.add(Nd4j.createFromArray(constant).castTo(DataType.FLOAT));
        irs.add(Nd4j.createFromArray(layers.get(2)));
        irs.add(Nd4j.zeros(DataType.FLOAT, 20, 4)); // a dead ReLU layer
        List<String> names = List.of("stem", "flat", "block2", "dead");

        for (CkaMatrix s : List.of(UnbiasedCka.matrix(names, irs), UnbiasedCka.matrixPerPair(names, irs))) {
            assertEquals(List.of("flat", "dead"), s.constantLayers());
            for (int j = 0; j < 4; j++) {
                assertTrue(Double.isNaN(s.get(1, j)) && Double.isNaN(s.get(j, 1)));
                assertTrue(Double.isNaN(s.get(3, j)) && Double.isNaN(s.get(j, 3)));
            }
            assertEquals(1.0, s.get(0, 0));
            assertEquals(1.0, s.get(2, 2));
            assertTrue(Double.isFinite(s.get(0, 2)));
            assertTrue(s.hasNaN());
            assertEquals(List.of("stem~flat", "stem~dead", "flat~block2", "flat~dead", "block2~dead"), s.nanPairs());
        }
    }

    // --- small dense helpers for building test layers ---

    static double[][] gaussian(Random rnd, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int c = 0; c < cols; c++) {
                row[c] = rnd.nextGaussian();
            }
        }
        return a;
    }

    static double[][] times(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int k = 0; k < b.length; k++) {
                for (int c = 0; c < b[0].length; c++) {
                    out[r][c] += a[r][k] * b[k][c];
                }
            }
        }
        return out;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] out = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[0].length; c++) {
                out[r][c] = a[r][c] + b[r][c];
            }
        }
        return out;
    }

    static double[][] scaled(double[][] a, double factor) {
        double[][] out = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[0].length; c++) {
                out[r][c] = a[r][c] * factor;
            }
        }
        return out;
    }

    static double[][] offset(double[][] a, double value) {
        double[][] out = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[0].length; c++) {
                out[r][c] = a[r][c] + value;
            }
        }
        return out;
    }

    static double[][] tanh(double[][] a) {
        double[][] out = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[0].length; c++) {
                out[r][c] = Math.tanh(a[r][c]);
            }
        }
        return out;
    }

    /** ReLU of a random projection of a to the given width. */
    static double[][] relu(double[][] a, int width, Random rnd) {
        double[][] out = times(a, gaussian(rnd, a[0].length, width));
        for (double[] row : out) {
            for (int c = 0; c < width; c++) {
                row[c] = Math.max(0, row[c]);
            }
        }
        return out;
    }
}
