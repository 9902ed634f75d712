package org.redtest.search;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;
import org.redtest.config.CostMetric;
import org.redtest.config.RewardKind;
import org.redtest.config.RewardsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardTest {
    private static final RewardsConfig PAPER = RewardsConfig.defaults();

    @Test
    void rewardsFollowSpecFormulas() {
        CandidateMetrics m = new CandidateMetrics(90.0, 1_000_000, 100_000_000, 0.02, 70.0);
        assertEquals(90.0, Reward.of(RewardKind.S1, PAPER).score(m), 1e-12);
        double s2 = 90.0 * Math.pow(0.02 / 0.01, -0.2);
        assertEquals(s2, Reward.of(RewardKind.S2, PAPER).score(m), 1e-12);
        assertEquals(s2 * Math.pow(70.0 / 35.0, -0.1), Reward.of(RewardKind.S3, PAPER).score(m), 1e-12);
    }

    @Test
    void s3PenalisesRedundancyAtEqualAccuracyAndCost() {
        CandidateMetrics lean = new CandidateMetrics(90.0, 1, 1, 0.01, 10.0);
        CandidateMetrics redundant = new CandidateMetrics(90.0, 1, 1, 0.01, 60.0);
        assertEquals(Reward.of(RewardKind.S2, PAPER).score(lean), Reward.of(RewardKind.S2, PAPER).score(redundant), 1e-12);
        assertTrue(Reward.of(RewardKind.S3, PAPER).score(lean) > Reward.of(RewardKind.S3, PAPER).score(redundant));
    }

    @Test
    void zeroMsrsIsFlooredToAFiniteReward() {
        double s3 = Reward.of(RewardKind.S3, PAPER).score(new CandidateMetrics(90.0, 1, 1, 0.01, 0.0));
        assertTrue(Double.isFinite(s3) && s3 > 0);
        assertEquals(90.0 * Math.pow(1e-6 / 35.0, -0.1), s3, 1e-9);
    }

    @Test
    void paramsAndFlopsVariantsUseTheirTargets() {
        CandidateMetrics m = new CandidateMetrics(80.0, 2_000_000, 50_000_000, 0.5, 35.0);
        RewardsConfig params = RewardsConfig.builder().cost(CostMetric.PARAMS).build();
        RewardsConfig flops = RewardsConfig.builder().cost(CostMetric.FLOPS).build();
        assertEquals(80.0 * Math.pow(2.0, -0.2), Reward.of(RewardKind.S2, params).score(m), 1e-12);
        assertEquals(80.0 * Math.pow(0.5, -0.2), Reward.of(RewardKind.S3, flops).score(m), 1e-12);
        assertThrows(RedTestException.class, () -> CostMetric.parse("joules"));
    }
}
