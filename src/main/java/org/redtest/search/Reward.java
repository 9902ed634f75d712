package org.redtest.search;

/**
 * The three rewards of redundancy-aware NAS (paper AS1; docs/method.md, "Architecture search"):
 * S1 = ACC; S2 = ACC (COST / T_cost)^w_cost; S3 = S2 (MSRS / T_msrs)^w_msrs.
 */
public enum Reward {
    S1, S2, S3;

    public double score(CandidateMetrics m, RewardSettings s) {
        double acc = Math.max(m.accuracy(), s.epsilon());
        if (this == S1) {
            return acc;
        }
        double cost = Math.max(m.cost(s.cost()), s.epsilon());
        double s2 = acc * Math.pow(cost / s.costTarget(), s.costExponent());
        if (this == S2) {
            return s2;
        }
        double msrs = Math.max(m.msrs(), s.epsilon());
        return s2 * Math.pow(msrs / s.targetMsrs(), s.msrsExponent());
    }
}
