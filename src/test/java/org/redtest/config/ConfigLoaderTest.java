package org.redtest.config;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final String VALID = """
            name: demo
            model: resnet20
            data:
              dataset: fashion-mnist
              train_per_class: 10
            training:
              epochs: 3
              lr_milestones: [2]
            """;

    @Test
    void fillsPaperDefaults() {
        ExperimentConfig c = ConfigLoader.parse(VALID, "test").config();
        assertEquals(3, c.training().epochs());
        assertEquals(256, c.training().batchSize());
        assertEquals(0.01, c.training().learningRate());
        assertEquals(0.9, c.training().momentum());
        assertEquals(0.005, c.training().weightDecay());
        assertEquals(List.of(StageName.TRAIN, StageName.EVALUATE), c.stages());
        assertEquals(42L, c.seed());
        assertEquals(Path.of("checkpoints", "demo"), c.runDirectory());
        assertEquals(Path.of("checkpoints", "redtest.db"), c.databasePath());
        assertEquals(10, c.data().trainPerClass());
    }

    @Test
    void multiStepScheduleAppliesGammaAtEachMilestone() {
        TrainingConfig t = new TrainingConfig(150, null, 0.01, null, null, List.of(50, 100), 0.1, null);
        assertEquals(0.01, t.learningRateAt(49), 1e-15);
        assertEquals(0.001, t.learningRateAt(50), 1e-15);
        assertEquals(0.0001, t.learningRateAt(149), 1e-15);
    }

    @Test
    void hashIgnoresFormattingButNotValues() {
        String reformatted = "# a comment\n" + VALID.replace("epochs: 3", "epochs:    3   # three");
        assertEquals(ConfigLoader.parse(VALID, "a").hash(), ConfigLoader.parse(reformatted, "b").hash());
        assertNotEquals(ConfigLoader.parse(VALID, "a").hash(), ConfigLoader.parse(VALID.replace("epochs: 3", "epochs: 4"), "c").hash());
    }

    @Test
    void hashIdentifiesTheTrainedModelNotTheStagesOrOutputs() {
        String more = VALID + "stages: [train]\nmeasure: {batches: 3}\noutput_dir: elsewhere\n";
        assertEquals(ConfigLoader.parse(VALID, "a").hash(), ConfigLoader.parse(more, "b").hash());
        assertNotEquals(ConfigLoader.parse(VALID, "a").hash(), ConfigLoader.parse(VALID + "seed: 1\n", "c").hash());
    }

    @Test
    void yamlRoundTripKeepsTheConfig() {
        ConfigLoader.LoadedConfig a = ConfigLoader.parse(VALID, "a");
        ConfigLoader.LoadedConfig b = ConfigLoader.parse(ConfigLoader.toYaml(a.config()), "b");
        assertEquals(a.hash(), b.hash());
    }

    @Test
    void unknownKeyIsNamedWithItsPathAndTheKnownKeys() {
        var e = assertThrows(RedTestException.class,
                () -> ConfigLoader.parse(VALID.replace("epochs: 3", "epochs: 3\n  epoch: 4"), "f.yaml"));
        assertTrue(e.getMessage().contains("unknown key 'training.epoch'"), e.getMessage());
        assertTrue(e.getMessage().contains("f.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void malformedYamlNamesTheLine() {
        var e = assertThrows(RedTestException.class, () -> ConfigLoader.parse("name: x\ndata: {dataset: a\n", "m.yaml"));
        assertTrue(e.getMessage().startsWith("malformed YAML in m.yaml (line"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void wrongTypeNamesTheKey() {
        var e = assertThrows(RedTestException.class, () -> ConfigLoader.parse(VALID.replace("epochs: 3", "epochs: three"), "t"));
        assertTrue(e.getMessage().contains("'training.epochs'"), e.getMessage());
    }

    @Test
    void semanticErrorsAreNamed() {
        assertMessage(VALID.replace("model: resnet20", "model: resnet21"), "resnet21");
        assertMessage(VALID.replace("name: demo", "name: a/b"), "name 'a/b'");
        assertMessage(VALID.replace("name: demo\n", ""), "missing key 'name'");
        assertMessage(VALID + "stages: [train, prune-everything]\n", "unknown stage 'prune-everything'");
        assertMessage(VALID.replace("dataset: fashion-mnist", "dataset: imagenet"), "unknown dataset 'imagenet'");
        assertMessage(VALID.replace("epochs: 3", "epochs: 0"), "training.epochs must be >= 1");
        assertMessage(VALID.replace("[2]", "[2, 1]"), "training.lr_milestones");
        assertMessage("", "is empty");
    }

    @Test
    void missingFileIsNamed() {
        var e = assertThrows(RedTestException.class, () -> ConfigLoader.load(Path.of("/no/such/file.yaml")));
        assertEquals("config file not found: /no/such/file.yaml", e.getMessage());
    }

    private static void assertMessage(String yaml, String fragment) {
        var e = assertThrows(RedTestException.class, () -> ConfigLoader.parse(yaml, "t"));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
