package org.redtest.training;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;
import org.redtest.config.TrainingConfig;
import org.redtest.zoo.GraphSettings;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The learning rate has one home: the graph's DL4J schedule is the config's {@code learningRateAt}, epoch by epoch. */
class LearningRateScheduleTest {
    @Test
    void theGraphsScheduleIsTheConfigsRateInEveryEpoch() {
        TrainingConfig t = TrainingConfig.builder().epochs(9).learningRate(0.2).lrMilestones(List.of(2, 5, 7))
                .lrGamma(0.5).weightDecay(3e-4).build();
        GraphSettings settings = Trainer.graphSettings(11, t);
        IUpdater updater = settings.updater();
        for (int epoch = 0; epoch < t.epochs(); epoch++) {
            assertEquals(t.learningRateAt(epoch), updater.getLearningRate(1000, epoch), 1e-12, "epoch " + epoch);
        }
        assertEquals(0.2 * 0.125, t.learningRateAt(8), 1e-12);
        assertEquals(11, settings.seed());
        assertEquals(3e-4, settings.weightDecay());
    }
}
