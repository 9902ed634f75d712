package org.redtest.search;

import org.redtest.config.CostMetric;

/** What a trained candidate is scored on: accuracy (%), its costs and its MSRS. */
public record CandidateMetrics(double accuracy, long params, long flops, double latency, double msrs) {
    public double cost(CostMetric metric) {
        return switch (metric) {
            case PARAMS -> params;
            case FLOPS -> flops;
            case LATENCY -> latency;
        };
    }
}
