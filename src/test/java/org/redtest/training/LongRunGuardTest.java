package org.redtest.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17: the decision whether a CPU training run may start, from its estimate alone. */
class LongRunGuardTest {
    private static final LongRunGuard ASKING = LongRunGuard.forCommand(false, "fewer --epochs");

    @Test
    void aRunWithinTheHourStartsAndSaysItsEstimate() {
        // 4 x 6000 images at 30 img/s: 800 s
        LongRunGuard.Decision d = ASKING.decide(new TrainingEstimate("resnet20", 4, 6000, 30));
        assertTrue(d.proceed());
        assertEquals("estimated training time about 13 min (resnet20: 4 epochs of 6000 images at 30 img/s on this CPU)",
                d.message());
        assertTrue(ASKING.decide(new TrainingEstimate("m", 1, 3600, 1)).proceed(), "exactly an hour is not over it");
    }

    @Test
    void aRunOverTheHourIsRefusedSayingHowToGoOn() {
        // the example: 150 x 60000 images at 240 img/s, about 10.4 h
        LongRunGuard.Decision d = ASKING.decide(new TrainingEstimate("resnet20", 150, 60000, 240));
        assertFalse(d.proceed());
        assertEquals("this training is estimated to take about 10.4 h on this CPU (resnet20: 150 epochs of 60000 "
                + "images at 240 img/s); give --yes to start it anyway, or fewer --epochs", d.message());
        assertFalse(ASKING.decide(new TrainingEstimate("m", 1, 3601, 1)).proceed());
    }

    @Test
    void yesStartsALongRun() {
        LongRunGuard.Decision d = LongRunGuard.forCommand(true, "fewer --epochs")
                .decide(new TrainingEstimate("resnet56", 150, 60000, 30));
        assertTrue(d.proceed());
        assertTrue(d.message().startsWith("estimated training time about 3.5 days"), d.message());
        assertTrue(d.message().endsWith("starting, as --yes asks"), d.message());
    }

    @Test
    void noEstimateForResumesGpusTinyRunsOrWhenOff() {
        assertTrue(ASKING.needsEstimate(true, false, 1_000_000, 192));
        assertFalse(ASKING.needsEstimate(true, true, 1_000_000, 192), "a resume of a run already started");
        assertFalse(ASKING.needsEstimate(false, false, 1_000_000, 192), "a GPU backend");
        assertFalse(ASKING.needsEstimate(true, false, 192, 192), "a run no bigger than the probe itself");
        assertFalse(LongRunGuard.OFF.needsEstimate(true, false, 1_000_000, 192));
    }

    @Test
    void roughDurations() {
        assertEquals("about 40 s", TrainingEstimate.roughly(40));
        assertEquals("about 59 min", TrainingEstimate.roughly(3540));
        assertEquals("about 1.0 h", TrainingEstimate.roughly(3600));
        assertEquals("about 2.5 days", TrainingEstimate.roughly(2.5 * 86400));
    }

    @Test
    void theProbeBatchIsSmallAndNeverBiggerThanTheData() {
        assertEquals(32, TrainingThroughputProbe.batchSize(256, 60000));
        assertEquals(16, TrainingThroughputProbe.batchSize(16, 60000));
        assertEquals(8, TrainingThroughputProbe.batchSize(256, 8));
    }
}
