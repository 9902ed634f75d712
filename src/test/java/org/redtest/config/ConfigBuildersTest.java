package org.redtest.config;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Builders: their defaults are what an empty YAML section binds to, and a setter refuses what validate() refuses. */
class ConfigBuildersTest {
    private static final String FILE = """
            name: a
            model: resnet8
            data: {dataset: fashion-mnist}
            stages: [search]
            search: {rewards: {}, evolution: {}, spark: {}}
            """;

    @Test
    void aBuilderStartsAtWhatAnEmptySectionBindsTo() {
        ExperimentConfig bound = ConfigLoader.parse(FILE, "t.yaml").config();
        assertEquals(TrainingConfig.defaults(), bound.training());
        assertEquals(MeasureConfig.defaults(), bound.measure());
        assertEquals(PruneConfig.defaults(), bound.prune());
        assertEquals(RewardsConfig.defaults(), bound.search().rewards());
        assertEquals(EvolutionConfig.defaults(), bound.search().evolution());
        assertEquals(SparkConfig.defaults(), bound.search().spark());
        assertEquals(TrainingConfig.builder().epochs(12).build(), bound.search().budget(), "no budget: a candidate's 12 epochs");
        assertEquals(SearchConfig.defaults().withEngine(null, null), SearchConfig.builder().build());
    }

    @Test
    void aSetterRefusesWhatTheFileWouldBeRefusedFor() {
        assertEquals("training.momentum must be in [0, 1), got 1.0",
                assertThrows(RedTestException.class, () -> TrainingConfig.builder().momentum(1)).getMessage());
        assertEquals("training.lr_milestones must be increasing positive epochs, got [5, 5]",
                assertThrows(RedTestException.class, () -> TrainingConfig.builder().lrMilestones(List.of(5, 5))).getMessage());
        assertEquals("measure.batch_size must be >= 4 (unbiased CKA needs 4 samples), got 3",
                assertThrows(RedTestException.class, () -> MeasureConfig.builder().batchSize(3)).getMessage());
        assertEquals("prune.repeats must be >= 1 (fine-tunings per method, one seed each), got 0",
                assertThrows(RedTestException.class, () -> PruneConfig.builder().repeats(0)).getMessage());
        assertEquals("prune.tau and prune.keep are mutually exclusive; set one",
                assertThrows(RedTestException.class, () -> PruneConfig.builder().tau(0.9).keep(3).build()).getMessage());
        assertEquals("reward targets and epsilon must be > 0",
                assertThrows(RedTestException.class, () -> RewardsConfig.builder().epsilon(0)).getMessage());
        assertThrows(RedTestException.class, () -> EvolutionConfig.builder().population(1));
        assertThrows(RedTestException.class, () -> SparkConfig.builder().masterTimeout(0).build());
        assertThrows(RedTestException.class, () -> SearchConfig.builder().topK(0).build());
    }

    @Test
    void aBuiltConfigCarriesWhatWasSet() {
        TrainingConfig t = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.05).lrMilestones(List.of(2)).build();
        assertEquals(new TrainingConfig(3, 16, 0.05, null, null, List.of(2), null, null), t);
        PruneConfig p = PruneConfig.builder().keep(2).baselines(List.of(PruneMethod.RANDOM)).finetuneEpochs(0).build();
        assertEquals(new PruneConfig(null, null, 2, List.of(PruneMethod.RANDOM), 0, null, null, null), p);
    }
}
