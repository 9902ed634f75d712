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
        Builder d = new Builder(); // an absent YAML key (null) takes the builder's default
        cost = cost == null ? d.cost : cost;
        targetLatency = targetLatency == null ? d.targetLatency : targetLatency;
        targetParams = targetParams == null ? d.targetParams : targetParams;
        targetFlops = targetFlops == null ? d.targetFlops : targetFlops;
        costExponent = costExponent == null ? d.costExponent : costExponent;
        targetMsrs = targetMsrs == null ? d.targetMsrs : targetMsrs;
        msrsExponent = msrsExponent == null ? d.msrsExponent : msrsExponent;
        epsilon = epsilon == null ? d.epsilon : epsilon;
    }

    /** The paper's CIFAR-10 rewards. */
    public static RewardsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public RewardsConfig validate() {
        for (double target : new double[]{targetLatency, targetParams, targetFlops, targetMsrs, epsilon}) {
            checkPositive(target);
        }
        return this;
    }

    private static double checkPositive(double target) {
        if (!(target > 0)) {
            throw new RedTestException("reward targets and epsilon must be > 0");
        }
        return target;
    }

    /** Reward settings, each starting at the paper's value and checked as it is set. */
    public static final class Builder {
        private CostMetric cost = CostMetric.LATENCY;
        private double targetLatency = 0.01;
        private double targetParams = 1e6;
        private double targetFlops = 1e8;
        private double costExponent = -0.20;
        private double targetMsrs = 35.0;
        private double msrsExponent = -0.1;
        private double epsilon = 1e-6;

        private Builder() {
        }

        public Builder cost(CostMetric metric) {
            cost = java.util.Objects.requireNonNull(metric, "cost");
            return this;
        }

        public Builder targetLatency(double seconds) {
            targetLatency = checkPositive(seconds);
            return this;
        }

        public Builder targetParams(double params) {
            targetParams = checkPositive(params);
            return this;
        }

        public Builder targetFlops(double flops) {
            targetFlops = checkPositive(flops);
            return this;
        }

        public Builder costExponent(double w) {
            costExponent = w;
            return this;
        }

        public Builder targetMsrs(double msrs) {
            targetMsrs = checkPositive(msrs);
            return this;
        }

        public Builder msrsExponent(double w) {
            msrsExponent = w;
            return this;
        }

        public Builder epsilon(double e) {
            epsilon = checkPositive(e);
            return this;
        }

        public RewardsConfig build() {
            return new RewardsConfig(cost, targetLatency, targetParams, targetFlops, costExponent, targetMsrs, msrsExponent,
                    epsilon);
        }
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
