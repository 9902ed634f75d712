package org.redtest.measure;

import org.apache.commons.math3.fitting.PolynomialCurveFitter;
import org.apache.commons.math3.fitting.WeightedObservedPoints;
import org.redtest.storage.MeasurementTable.DepthPoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected MSRS T_msrs (paper appendix B): least-squares linear and quadratic curves of MSRS against
 * depth, one pair per (family, data set, gamma) group of measured models.
 */
public final class ExpectedMsrsFit {
    /** Coefficients lowest order first: MSRS = c0 + c1 d (+ c2 d^2). Null when there are too few depths. */
    public record Group(String family, String dataset, double gamma, List<DepthPoint> points,
                        double[] linear, Double linearR2, double[] quadratic, Double quadraticR2) {
        public String label() {
            return family + " / " + dataset + " (gamma " + gamma + ")";
        }
    }

    private ExpectedMsrsFit() {
    }

    public static List<Group> fit(List<DepthPoint> points) {
        Map<String, List<DepthPoint>> groups = new LinkedHashMap<>();
        for (DepthPoint p : points) {
            groups.computeIfAbsent(p.family() + "\u0000" + p.dataset() + "\u0000" + p.gamma(), k -> new ArrayList<>()).add(p);
        }
        List<Group> out = new ArrayList<>();
        for (List<DepthPoint> g : groups.values()) {
            long depths = g.stream().mapToInt(DepthPoint::depth).distinct().count();
            double[] linear = depths >= 2 ? polynomial(g, 1) : null;
            double[] quadratic = depths >= 3 ? polynomial(g, 2) : null;
            DepthPoint first = g.get(0);
            out.add(new Group(first.family(), first.dataset(), first.gamma(), g, linear,
                    linear == null ? null : rSquared(g, linear), quadratic, quadratic == null ? null : rSquared(g, quadratic)));
        }
        return out;
    }

    public static double evaluate(double[] coefficients, double depth) {
        double y = 0;
        for (int i = coefficients.length - 1; i >= 0; i--) {
            y = y * depth + coefficients[i];
        }
        return y;
    }

    private static double[] polynomial(List<DepthPoint> g, int degree) {
        WeightedObservedPoints obs = new WeightedObservedPoints();
        g.forEach(p -> obs.add(p.depth(), p.msrsMean()));
        return PolynomialCurveFitter.create(degree).fit(obs.toList());
    }

    private static double rSquared(List<DepthPoint> g, double[] c) {
        double mean = g.stream().mapToDouble(DepthPoint::msrsMean).average().orElse(0);
        double ssRes = 0;
        double ssTot = 0;
        for (DepthPoint p : g) {
            double r = p.msrsMean() - evaluate(c, p.depth());
            ssRes += r * r;
            ssTot += (p.msrsMean() - mean) * (p.msrsMean() - mean);
        }
        return ssTot == 0 ? (ssRes == 0 ? 1.0 : 0.0) : 1 - ssRes / ssTot;
    }
}
