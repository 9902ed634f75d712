package org.redtest.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochClockTest {
    @Test
    void stoppedClockKeepsTheTrainingPassAndItsRate() throws InterruptedException {
        EpochClock clock = new EpochClock();
        clock.count(128);
        clock.count(72);
        Thread.sleep(5);
        clock.stop();
        double seconds = clock.seconds();
        Thread.sleep(20); // the evaluation after the batches: not training time
        clock.stop();
        assertEquals(seconds, clock.seconds(), 0.0, "a stopped clock does not run on, and a second stop keeps the first");
        assertTrue(seconds >= 0.005, "seconds of the pass: " + seconds);
        assertEquals(200 / seconds, clock.imagesPerSecond(), 1e-9);
    }

    @Test
    void runningClockCountsUpToNow() throws InterruptedException {
        EpochClock clock = new EpochClock();
        double first = clock.seconds();
        Thread.sleep(5);
        assertTrue(clock.seconds() > first);
    }
}
