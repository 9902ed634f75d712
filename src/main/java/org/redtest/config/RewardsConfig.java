package org.redtest.config;

import org.redtest.RedTestException;

/**
 * The {@code search.rewards} section: targets and exponents of the NAS rewards (docs/method.md,
 * "Architecture search"). Defaults are the paper's CIFAR-10 values: T_lat = 0.01 s, w_lat = -0.20,
 * T_msrs = 35, w_msrs = -0.1. {@code cost} picks what S2 and S3 penalise: latency (the paper), or
 * Params / FLOPs (its appendix A) with their own targets (choice: 1M params, 100M FLOPs). Metric values
 * are floored at {@code epsilon} so that an MSRS of 0 gives a finite reward. Plain values: the search
 * package builds its rewards from them.
 */
public record RewardsConfig(CostMetric cost, Double targetLatency, Double targetParams, Double targetFlops,
                            Double costExponent, Double targetMsrs, Double msrsExponent, Double epsilon) {
    public RewardsConfig {
        cost = cost == null ? CostMetric.LATENCY : cost;
        targetLatency = targetLatency == null ? 0.01 : targetLatency;
        targetParams = targetParams == null ? 1e6 : targetParams;
        targetFlops = targetFlops == null ? 1e8 : targetFlops;
        costExponent = costExponent == null ? -0.20 : costExponent;
        targetMsrs = targetMsrs == null ? 35.0 : targetMsrs;
        msrsExponent = msrsExponent == null ? -0.1 : msrsExponent;
        epsilon = epsilon == null ? 1e-6 : epsilon;
    }

    public static RewardsConfig defaults() {
        return new RewardsConfig(null, null, null, null, null, null, null, null);
    }

    public RewardsConfig validate() {
        for (double target : new double[]{targetLatency, targetParams, targetFlops, targetMsrs, epsilon}) {
            if (!(target > 0)) {
                throw new RedTestException("reward targets and epsilon must be > 0");
            }
        }
        return this;
    }

    /** The cost metric's target. */
    public double costTarget() {
        return switch (cost) {
            case PARAMS -> targetParams;
            case FLOPS -> targetFlops;
            case LATENCY -> targetLatency;
        };
    }
}
