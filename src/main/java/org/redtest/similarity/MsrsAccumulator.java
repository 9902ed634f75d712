package org.redtest.similarity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the CKA matrices of a model's measurement batches and summarises their MSRS. Only running
 * sums are kept, not the matrices, so a deep model over many batches stays cheap.
 */
public final class MsrsAccumulator {
    private final double beta;
    private final double gamma;
    private List<String> units;
    private final List<Double> perBatch = new ArrayList<>();
    private final Set<String> nanSources = new LinkedHashSet<>();
    private double[][] keptCkaSum;
    private double[][] allCkaSum;
    private int dropped;

    public MsrsAccumulator(double beta, double gamma) {
        this.beta = beta;
        this.gamma = gamma;
    }

    /** Adds one batch; all batches must measure the same units in the same order. */
    public void add(CkaMatrix batch) {
        if (units == null) {
            units = batch.names();
            int m = units.size();
            keptCkaSum = new double[m][m];
            allCkaSum = new double[m][m];
        } else if (!units.equals(batch.names())) {
            throw new IllegalArgumentException("batch " + (perBatch.size() + 1) + " measures units " + batch.names()
                    + " but the first batch measured " + units);
        }
        double msrs = Msrs.of(batch, beta, gamma);
        perBatch.add(msrs);
        boolean kept = !Double.isNaN(msrs);
        if (!kept) {
            dropped++;
            recordNanSources(batch);
        }
        for (int i = 0; i < units.size(); i++) {
            for (int j = 0; j < units.size(); j++) {
                double v = batch.get(i, j);
                allCkaSum[i][j] += v;
                if (kept) {
                    keptCkaSum[i][j] += v;
                }
            }
        }
    }

    /** Constant layers explain their whole row of NaN; any other NaN pair is named itself. */
    private void recordNanSources(CkaMatrix batch) {
        nanSources.addAll(batch.constantLayers());
        Set<String> constant = Set.copyOf(batch.constantLayers());
        List<String> names = batch.names();
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                if (Double.isNaN(batch.get(i, j))
                        && !constant.contains(names.get(i)) && !constant.contains(names.get(j))) {
                    nanSources.add(names.get(i) + "~" + names.get(j));
                }
            }
        }
    }

    public int batches() {
        return perBatch.size();
    }

    /**
     * Mean and sample standard deviation (n - 1 denominator: the batches are a sample of the test
     * set, and this is what numpy's std(ddof=1) and most papers' error bars report) over the kept
     * batches. Never throws for NaN batches: if all were dropped, mean and std are NaN and the caller
     * reports it.
     */
    public MsrsSummary summarize() {
        if (units == null) {
            throw new IllegalStateException("no batches added");
        }
        double[] scores = perBatch.stream().mapToDouble(Double::doubleValue).toArray();
        int kept = scores.length - dropped;
        double mean = Double.NaN;
        double std = Double.NaN;
        if (kept > 0) {
            double sum = 0;
            for (double s : scores) {
                if (!Double.isNaN(s)) {
                    sum += s;
                }
            }
            mean = sum / kept;
            double squares = 0;
            for (double s : scores) {
                if (!Double.isNaN(s)) {
                    squares += (s - mean) * (s - mean);
                }
            }
            std = kept > 1 ? Math.sqrt(squares / (kept - 1)) : 0.0;
        }
        double[][] meanCka = kept > 0 ? scaled(keptCkaSum, kept) : scaled(allCkaSum, scores.length);
        return new MsrsSummary(units, beta, gamma, mean, std, scores, scores.length, dropped,
                List.copyOf(nanSources), meanCka, CkaMatrix.adjacentOf(meanCka));
    }

    private static double[][] scaled(double[][] sum, int count) {
        double[][] out = new double[sum.length][];
        for (int i = 0; i < sum.length; i++) {
            out[i] = new double[sum[i].length];
            for (int j = 0; j < sum[i].length; j++) {
                out[i][j] = sum[i][j] / count;
            }
        }
        return out;
    }
}
