package org.redtest.search;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardTest {
    private static final RewardSettings PAPER = RewardSettings.defaults();

    @Test
    void rewardsFollowSpecFormulas() {
        CandidateMetrics m = new CandidateMetrics(90.0, 1_000_000, 100_000_000, 0.02, 70.0);
        assertEquals(90.0, Reward.S1.score(m, PAPER), 1e-12);
        double s2 = 90.0 * Math.pow(0.02 / 0.01, -0.2);
        assertEquals(s2, Reward.S2.score(m, PAPER), 1e-12);
        assertEquals(s2 * Math.pow(70.0 / 35.0, -0.1), Reward.S3.score(m, PAPER), 1e-12);
    }

    @Test
    void s3PenalisesRedundancyAtEqualAccuracyAndCost() {
        CandidateMetrics lean = new CandidateMetrics(90.0, 1, 1, 0.01, 10.0);
        CandidateMetrics redundant = new CandidateMetrics(90.0, 1, 1, 0.01, 60.0);
        assertEquals(Reward.S2.score(lean, PAPER), Reward.S2.score(redundant, PAPER), 1e-12);
        assertTrue(Reward.S3.score(lean, PAPER) > Reward.S3.score(redundant, PAPER));
    }

    @Test
    void zeroMsrsIsFlooredToAFiniteReward() {
        double s3 = Reward.S3.score(new CandidateMetrics(90.0, 1, 1, 0.01, 0.0), PAPER);
        assertTrue(Double.isFinite(s3) && s3 > 0);
        assertEquals(90.0 * Math.pow(1e-6 / 35.0, -0.1), s3, 1e-9);
    }

    @Test
    void paramsAndFlopsVariantsUseTheirTargets() {
        CandidateMetrics m = new CandidateMetrics(80.0, 2_000_000, 50_000_000, 0.5, 35.0);
        RewardSettings params = new RewardSettings("params", null, null, null, null, null, null, null).validate();
        RewardSettings flops = new RewardSettings("flops", null, null, null, null, null, null, null).validate();
        assertEquals(80.0 * Math.pow(2.0, -0.2), Reward.S2.score(m, params), 1e-12);
        assertEquals(80.0 * Math.pow(0.5, -0.2), Reward.S3.score(m, flops), 1e-12);
        assertThrows(RedTestException.class, () -> new RewardSettings("joules", null, null, null, null, null, null, null).validate());
    }
}
