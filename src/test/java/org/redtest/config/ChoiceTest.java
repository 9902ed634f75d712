package org.redtest.config;

import org.junit.jupiter.api.Test;
import org.redtest.Choice;
import org.redtest.RedTestException;
import org.redtest.data.Split;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings that are one of a few words: read once, case ignored, refused with the allowed words, written back the same. */
class ChoiceTest {
    private static final String BASE = """
            name: demo
            model: resnet20
            data: {dataset: fashion-mnist}
            """;

    @Test
    void wordsAreReadCaseInsensitivelyAndPrintAsWritten() {
        assertEquals(PruneMethod.LINEAR_PROBE, PruneMethod.parse("Linear-Probe"));
        assertEquals(RewardKind.S2, RewardKind.parse("s2"));
        assertEquals(Split.TRAIN, Split.parse("TRAIN"));
        assertNull(Sampling.parse(null), "an unset flag stays unset");
        assertEquals("linear-probe", PruneMethod.LINEAR_PROBE.toString());
        assertEquals("S3", RewardKind.S3.toString());
    }

    @Test
    void anUnknownWordNamesTheSettingAndTheKnownWords() {
        RedTestException e = assertThrows(RedTestException.class, () -> Sampling.parse("every"));
        assertEquals("unknown sampling 'every'; known: first, random", e.getMessage());
        assertEquals("train, evaluate, measure, prune, search", Choice.words(StageName.class));
    }

    @Test
    void yamlWordsBindToTheTypedSettings() {
        ExperimentConfig c = ConfigLoader.parse(BASE + """
                stages: [Train, measure]
                measure: {split: train, sampling: RANDOM}
                prune: {method: linear-probe, baselines: [cka]}
                search: {strategy: evolutionary, rewards: {cost: flops}, evolution: {reward: s1, selector: roulette}}
                """, "t").config();
        assertEquals(List.of(StageName.TRAIN, StageName.MEASURE), c.stages());
        assertEquals(Split.TRAIN, c.measure().split());
        assertEquals(Sampling.RANDOM, c.measure().sampling());
        assertEquals(List.of(PruneMethod.LINEAR_PROBE, PruneMethod.CKA), c.prune().methods());
        assertEquals(SearchStrategy.EVOLUTIONARY, c.search().strategy());
        assertEquals(CostMetric.FLOPS, c.search().rewards().cost());
        assertEquals(RewardKind.S1, c.search().evolution().reward());
        assertEquals(SelectorKind.ROULETTE, c.search().evolution().selector());
    }

    @Test
    void aWrongWordInYamlNamesTheKeyTheLineAndTheKnownWords() {
        assertMessage("measure: {split: validation}\n",
                "invalid value for 'measure.split' in t (line 4): unknown split 'validation'; known: train, test");
        assertMessage("stages: [train, prune-everything]\n", "'stages[1]'", "unknown stage 'prune-everything'");
        assertMessage("prune: {tau: 0.9, baselines: [random, magic]}\n", "'prune.baselines[1]'",
                "unknown pruning method 'magic'; known: cka, random, linear-probe");
        assertMessage("search: {evolution: {selector: rank}}\n", "'search.evolution.selector'", "known: tournament, roulette");
        assertMessage("search: {evolution: {reward: S4}}\n", "known: S1, S2, S3");
        assertMessage("search: {rewards: {cost: joules}}\n", "known: latency, params, flops");
        assertMessage("search: {strategy: random}\n", "known: exhaustive, evolutionary");
        assertMessage("stages: [train, ~]\n", "'stages' has an empty entry");
    }

    @Test
    void yamlWrittenFromTypedSettingsUsesTheSameWords() {
        ExperimentConfig c = ConfigLoader.parse(BASE + "measure: {sampling: random}\nprune: {method: linear-probe}\n", "t").config();
        String yaml = ConfigLoader.toYaml(c);
        assertTrue(yaml.contains("sampling: \"random\"") || yaml.contains("sampling: random"), yaml);
        assertTrue(yaml.contains("linear-probe"), yaml);
        assertTrue(yaml.contains("- \"train\"") || yaml.contains("- train"), yaml);
        assertEquals(c, ConfigLoader.parse(yaml, "again").config());
    }

    private static void assertMessage(String yaml, String... fragments) {
        RedTestException e = assertThrows(RedTestException.class, () -> ConfigLoader.parse(BASE + yaml, "t"));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }
}
