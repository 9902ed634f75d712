package org.redtest.search;

import org.redtest.config.RewardKind;
import org.redtest.config.RewardsConfig;

import java.util.Arrays;
import java.util.List;

/**
 * One of the three rewards of redundancy-aware NAS (paper AS1; docs/method.md, "Architecture search")
 * with its targets and exponents: S1 = ACC; S2 = ACC (COST / T_cost)^w_cost; S3 = S2 (MSRS / T_msrs)^w_msrs.
 * Built here from the config's plain values, so that config knows nothing of candidates.
 */
public record Reward(RewardKind kind, RewardsConfig settings) {
    public static Reward of(RewardKind kind, RewardsConfig settings) {
        return new Reward(kind, settings);
    }

    /** S1, S2 and S3 under the same settings, in that order (the search report compares them). */
    public static List<Reward> all(RewardsConfig settings) {
        return Arrays.stream(RewardKind.values()).map(k -> of(k, settings)).toList();
    }

    public double score(CandidateMetrics m) {
        RewardsConfig s = settings;
        double acc = Math.max(m.accuracy(), s.epsilon());
        if (kind == RewardKind.S1) {
            return acc;
        }
        double cost = Math.max(m.cost(s.cost()), s.epsilon());
        double s2 = acc * Math.pow(cost / s.costTarget(), s.costExponent());
        if (kind == RewardKind.S2) {
            return s2;
        }
        double msrs = Math.max(m.msrs(), s.epsilon());
        return s2 * Math.pow(msrs / s.targetMsrs(), s.msrsExponent());
    }

    @Override
    public String toString() {
        return kind.word();
    }
}
