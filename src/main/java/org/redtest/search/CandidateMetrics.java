package org.redtest.search;

/** What a trained candidate is scored on: accuracy (%), its costs and its MSRS. */
public record CandidateMetrics(double accuracy, long params, long flops, double latency, double msrs) {
    public double cost(String metric) {
        return switch (metric) {
            case RewardSettings.PARAMS -> params;
            case RewardSettings.FLOPS -> flops;
            default -> latency;
        };
    }
}
