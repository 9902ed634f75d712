package org.redtest.similarity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MsrsAccumulatorTest {
    private static final double BETA = 1e6; // a hard step, so the MSRS of each batch is a plain count
    private static final double NAN = Double.NaN;

    private static CkaMatrix batch(double s01, double s02, double s12, String... constant) {
        return new CkaMatrix(List.of("a", "b", "c"),
                new double[][] {{1, s01, s02}, {s01, 1, s12}, {s02, s12, 1}}, List.of(constant), 64);
    }

    @Test
    void meanAndSampleStdOverTheKeptBatchesWithTheNaNBatchCountedAndNamed() {
        MsrsAccumulator acc = new MsrsAccumulator(BETA, 0.8);
        acc.add(batch(0.9, 0.85, 0.2));                   // MSRS 2
        CkaMatrix constantB = new CkaMatrix(List.of("a", "b", "c"),
                new double[][] {{1, NAN, 0.9}, {NAN, NAN, NAN}, {0.9, NAN, 1}}, List.of("b"), 64);
        acc.add(constantB);                               // dropped
        acc.add(batch(0.95, 0.1, 0.3));                   // MSRS 1
        acc.add(batch(0.99, 0.9, 0.81));                  // MSRS 3

        MsrsSummary summary = acc.summarize();
        assertEquals(List.of("a", "b", "c"), summary.units());
        assertEquals(2.0, summary.mean(), 1e-9);
        assertEquals(1.0, summary.std(), 1e-9);           // sample std of {2, 1, 3}
        assertEquals(4, summary.batches());
        assertEquals(1, summary.nanBatchesDropped());
        assertEquals(3, summary.keptBatches());
        assertEquals(List.of("b"), summary.nanSources());
        assertEquals(2.0, summary.perBatch()[0], 1e-9);
        assertTrue(Double.isNaN(summary.perBatch()[1]));
        assertEquals(3.0, summary.perBatch()[3], 1e-9);
        double[][] mean = summary.meanCka();
        assertEquals((0.9 + 0.95 + 0.99) / 3, mean[0][1], 1e-12);
        assertEquals((0.2 + 0.3 + 0.81) / 3, mean[1][2], 1e-12);
        assertEquals(1.0, mean[1][1], 1e-12);
        assertArrayEquals(new double[] {mean[0][1], mean[1][2]}, summary.adjacent(), 0.0);
        assertEquals(BETA, summary.beta());
        assertEquals(0.8, summary.gamma());
    }

    @Test
    void oneBatchHasZeroStd() {
        MsrsAccumulator acc = new MsrsAccumulator(BETA, 0.7);
        acc.add(batch(0.9, 0.1, 0.1));
        MsrsSummary summary = acc.summarize();
        assertEquals(1.0, summary.mean(), 1e-9);
        assertEquals(0.0, summary.std());
    }

    @Test
    void allBatchesNaNGivesNaNSummaryWithoutThrowing() {
        MsrsAccumulator acc = new MsrsAccumulator(BETA, 0.8);
        acc.add(batch(NAN, 0.5, 0.6));                    // a NaN pair without a constant layer
        acc.add(batch(0.7, 0.5, 0.6));
        acc = new MsrsAccumulator(BETA, 0.8);
        acc.add(batch(NAN, 0.5, 0.6));
        acc.add(batch(0.7, 0.4, NAN));
        MsrsSummary summary = acc.summarize();
        assertTrue(Double.isNaN(summary.mean()) && Double.isNaN(summary.std()));
        assertEquals(2, summary.nanBatchesDropped());
        assertEquals(List.of("a~b", "b~c"), summary.nanSources());
        assertTrue(Double.isNaN(summary.meanCka()[0][1]));
        assertEquals(0.45, summary.meanCka()[0][2], 1e-12);
    }

    @Test
    void rejectsBatchesOfOtherUnits() {
        MsrsAccumulator acc = new MsrsAccumulator(BETA, 0.8);
        acc.add(batch(0.9, 0.1, 0.1));
        CkaMatrix other = new CkaMatrix(List.of("a", "x"), new double[][] {{1, 0.5}, {0.5, 1}}, List.of(), 64);
        assertThrows(IllegalArgumentException.class, () -> acc.add(other));
    }
}
