package org.redtest.similarity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MsrsTest {
    static CkaMatrix matrix(double s01, double s02, double s12) {
        return new CkaMatrix(List.of("a", "b", "c"),
                new double[][] {{1, s01, s02}, {s01, 1, s12}, {s02, s12, 1}}, List.of(), 256);
    }

    @Test
    void scoreIsAStepSmoothedAroundGamma() {
        assertEquals(1.0, Msrs.score(0.95, 100, 0.8), 1e-12);
        assertEquals(0.0, Msrs.score(0.5, 100, 0.8), 1e-12);
        assertEquals(0.5, Msrs.score(0.8, 100, 0.8), 0.0);
        assertEquals(0.5, Msrs.score(0.7, Msrs.DEFAULT_BETA, 0.7), 0.0);
    }

    @Test
    void sumsTheScoresOfThePairsAboveTheDiagonal() {
        double beta = 10;
        double gamma = 0.8;
        double expected = (Math.tanh(10 * (0.9 - 0.8)) + 1) / 2
                + (Math.tanh(10 * (0.3 - 0.8)) + 1) / 2
                + (Math.tanh(10 * (0.8 - 0.8)) + 1) / 2; // = 0.880797 + 0.0000454 + 0.5
        assertEquals(expected, Msrs.of(matrix(0.9, 0.3, 0.8), beta, gamma), 1e-15);
        assertEquals(1.3808425, expected, 1e-6);
    }

    @Test
    void tendsToTheCountOfPairsAboveGammaAsBetaGrows() {
        CkaMatrix s = matrix(0.85, 0.79, 0.99);
        assertEquals(2.0, Msrs.of(s, 1e6, 0.8), 1e-12);
        assertTrue(Math.abs(Msrs.of(s, 100, 0.8) - 2.0) > 1e-3, "beta 100 is still smooth near gamma");
    }

    @Test
    void isNaNWhenAnyPairIsNaN() {
        assertTrue(Double.isNaN(Msrs.of(matrix(0.9, Double.NaN, 0.1), 100, 0.8)));
    }
}
