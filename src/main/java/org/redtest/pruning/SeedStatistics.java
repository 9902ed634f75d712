package org.redtest.pruning;

import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Mean and sample standard deviation of one figure over repeated runs (seeds): what a comparison of pruning
 * methods is judged on, with the spread shown beside it. One run has no spread (0).
 */
public record SeedStatistics(double mean, double standardDeviation, int runs) {
    public static <T> SeedStatistics of(List<T> items, ToDoubleFunction<T> figure) {
        SummaryStatistics s = new SummaryStatistics();
        items.forEach(item -> s.addValue(figure.applyAsDouble(item)));
        return new SeedStatistics(s.getMean(), s.getN() > 1 ? s.getStandardDeviation() : 0, (int) s.getN());
    }

    /** "73.12 +- 0.45", or the bare mean for a single run. */
    public String format(int decimals) {
        String mean = String.format("%." + decimals + "f", this.mean);
        return runs > 1 ? mean + " +- " + String.format("%." + decimals + "f", standardDeviation) : mean;
    }
}
